import { join, normalize, relative } from 'node:path';
import type { IsolateInput, Isolated } from '../executor/executor.js';
import type { ExecutorRecord, WorkerRecord, WorkerSpec } from '../record/model.js';
import type { LocalRecord } from './model.js';
import { localSettings } from './settings.js';
import { createWorktree, finishWorktree } from './worktree/lifecycle.js';

const untouched: Isolated = { finish: async () => ({ ok: true }) };

/**
 * Give an isolated editing worker its git worktree before its attempts (taken from the pool,
 * made, or kept from an earlier session), and end it after them: everything the worker left is
 * committed on its branch and kept, or the worktree goes back to the pool. Also after a timeout
 * or Ctrl-C: what the worker wrote is kept, and no lock of a killed git command stays behind.
 */
export async function isolateWorker(spec: WorkerSpec, record: WorkerRecord, input: IsolateInput): Promise<Isolated | { error: string }> {
  const local = record.executor as unknown as LocalRecord;
  const tree = local.worktree;
  if (tree === undefined) return untouched;
  const created = await createWorktree(tree, { env: input.env, runDir: input.runDir, serial: (step) => input.scope.serial(step) });
  if (!created.ok) {
    tree.error = created.error;
    input.save(local as unknown as ExecutorRecord);
    return { error: created.error };
  }
  input.save(local as unknown as ExecutorRecord);
  return {
    async finish() {
      // The worker's paths, from its folder inside the worktree to the repository's top.
      const below = relative(tree.path, spec.cwd);
      const paths = spec.paths.map((path) => normalize(join(below, path)).replace(/^\.$/, '').replace(/\/$/, ''));
      const finished = await finishWorktree(tree, {
        env: input.env,
        message: `orch-prompt: ${spec.id} (${spec.role}) in run ${input.manifest.id}`,
        poolSize: localSettings(input.settings).worktreePool,
        paths,
        serial: (step) => input.scope.serial(step),
      });
      if (!finished.ok) tree.error = finished.error;
      input.save(local as unknown as ExecutorRecord);
      return finished;
    },
  };
}

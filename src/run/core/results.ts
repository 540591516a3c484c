import { UserError } from '../../errors/index.js';
import { recoverWorkers, type Applied, type Cleaned, type Executor } from '../executor/executor.js';
import { writeManifest } from '../record/manifest.js';
import type { RunToChange } from '../record/trusted-run.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Apply what one worker left to the project (`runs apply RUN WORKER`): its executor says how (a
 * worktree's branch merged, a cloud task's diff applied). The run was opened to change it.
 *
 * @throws {UserError} `unknown-worker`, `nothing-to-apply`, or what the executor's apply throws.
 */
export async function applyWorker(runDir: string, run: RunToChange, workerId: string, options: { executors: readonly Executor[]; cwd: string; env: Env; attempt?: number; codexBin?: string }): Promise<Applied> {
  const { manifest } = run;
  const record = manifest.workers.find((w) => w.id === workerId);
  if (!record) {
    const ids = manifest.workers.map((w) => `\`${w.id}\``).join(', ');
    throw new UserError('unknown-worker', `runs apply: run ${manifest.id} has no worker \`${workerId}\`, expected one of ${ids}`, { data: { worker: workerId } });
  }
  const executor = options.executors.find((e) => e.kind === record.executor.kind);
  if (executor?.apply === undefined) throw new UserError('nothing-to-apply', `runs apply: worker \`${record.id}\` ran with the ${record.executor.kind} executor, which leaves nothing to apply`, { data: { worker: record.id } });
  return executor.apply(record, {
    runDir,
    manifest,
    cwd: options.cwd,
    env: options.env,
    codexBin: options.codexBin ?? manifest.options.codexBin,
    ...(options.attempt !== undefined ? { attempt: options.attempt } : {}),
    save: () => writeManifest(runDir, manifest, run.key),
  });
}

/**
 * Remove what a finished run's workers left outside its folder (`runs clean RUN`): each executor
 * cleans its own (worktrees and their branches); the record says what was removed. Workers a
 * dead runner left running are ended first.
 *
 * @throws {UserError} `clean-failed` naming what stayed.
 */
export async function cleanRun(runDir: string, run: RunToChange, options: { executors: readonly Executor[]; env: Env }): Promise<Cleaned[]> {
  const cleaned: Cleaned[] = [];
  const failures: string[] = [];
  // A run whose runner died may still have workers at work in what is removed here.
  await recoverWorkers(run.manifest.workers.filter((worker) => worker.status === 'running'), options.executors, runDir);
  for (const executor of options.executors) {
    const done = await executor.clean?.(runDir, run.manifest, options.env);
    cleaned.push(...(done?.cleaned ?? []));
    failures.push(...(done?.failures ?? []));
  }
  writeManifest(runDir, run.manifest, run.key);
  if (failures.length > 0) throw new UserError('clean-failed', `runs clean: ${failures[0] ?? ''}${failures.length > 1 ? ` (and ${failures.length - 1} more)` : ''}`);
  return cleaned;
}

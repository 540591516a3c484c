import { join } from 'node:path';
import { UserError } from '../../errors/index.js';
import { effectiveStatus, writeManifest } from '../manifest.js';
import type { Manifest } from '../model.js';
import { removeWorktree } from './lifecycle.js';

/** One worktree `runs clean` removed. */
export interface CleanedWorktree {
  worker: string;
  branch: string;
  path: string;
}

/**
 * Remove every worktree and branch of a finished run (kept or left over), prune git's memory of
 * them, and record them as removed in the manifest. The folder removed is always the worker's
 * `<run>/<worker>/worktree`, whatever the record says.
 *
 * @throws {UserError} `run-still-running` while its runner runs; `clean-failed` naming what stayed.
 */
export async function cleanRun(runDir: string, manifest: Manifest, env: Readonly<Record<string, string | undefined>>): Promise<CleanedWorktree[]> {
  if (effectiveStatus(manifest) === 'running') throw new UserError('run-still-running', `runs clean: run ${manifest.id} is still running (pid ${manifest.runnerPid}); stop it first`);
  const cleaned: CleanedWorktree[] = [];
  const failures: string[] = [];
  for (const worker of manifest.workers) {
    if (!worker.worktree) continue;
    const tree = { ...worker.worktree, path: join(runDir, worker.id, 'worktree') };
    const removed = await removeWorktree(tree, env, false);
    if (!removed.ok) {
      failures.push(removed.error);
      continue;
    }
    const wasThere = worker.worktree.state !== 'removed';
    worker.worktree = { ...worker.worktree, state: 'removed' };
    if (wasThere) cleaned.push({ worker: worker.id, branch: tree.branch, path: tree.path });
  }
  writeManifest(runDir, manifest);
  if (failures.length > 0) throw new UserError('clean-failed', `runs clean: ${failures[0] ?? ''}${failures.length > 1 ? ` (and ${failures.length - 1} more)` : ''}`);
  return cleaned;
}

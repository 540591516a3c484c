import { join } from 'node:path';
import { UserError } from '../../../errors/index.js';
import { writeManifest } from '../../record/manifest.js';
import type { Manifest, WorktreeRecord } from '../../record/model.js';
import { git } from './git.js';
import { removeWorktree } from './lifecycle.js';

type Env = Readonly<Record<string, string | undefined>>;

/** One worktree `runs clean` removed. */
export interface CleanedWorktree {
  worker: string;
  branch: string;
  path: string;
}

/**
 * Remove every worktree and branch of a finished run (kept or left over), prune git's memory of
 * them, and record them as removed in the manifest (sealed again with `key`). The folder removed
 * is always the worker's `<run>/<worker>/worktree`, whatever the record says; a branch is
 * deleted only where it still points at the commit the run recorded, so a branch that moved on
 * (or one that is not this run's) is never lost. The caller owns the run folder (its lock).
 *
 * @throws {UserError} `clean-failed` naming what stayed.
 */
export async function cleanRun(runDir: string, manifest: Manifest, key: Buffer | null, env: Env): Promise<CleanedWorktree[]> {
  const cleaned: CleanedWorktree[] = [];
  const failures: string[] = [];
  for (const worker of manifest.workers) {
    if (!worker.worktree) continue;
    const tree = { ...worker.worktree, path: join(runDir, worker.id, 'worktree') };
    const moved = await branchMoved(tree, env);
    const removed = await removeWorktree(tree, env, moved !== null);
    if (!removed.ok) {
      failures.push(removed.error);
      continue;
    }
    if (moved !== null) failures.push(moved);
    const wasThere = worker.worktree.state !== 'removed';
    worker.worktree = { ...worker.worktree, state: 'removed' };
    if (wasThere) cleaned.push({ worker: worker.id, branch: tree.branch, path: tree.path });
  }
  writeManifest(runDir, manifest, key);
  if (failures.length > 0) throw new UserError('clean-failed', `runs clean: ${failures[0] ?? ''}${failures.length > 1 ? ` (and ${failures.length - 1} more)` : ''}`);
  return cleaned;
}

/**
 * Why the worker's branch must be kept: it points elsewhere than the run left it (its recorded
 * head; without one, the commit the worker started from). Null when it may go, or is gone.
 */
async function branchMoved(tree: WorktreeRecord, env: Env): Promise<string | null> {
  const tip = await git(['rev-parse', '--verify', '--quiet', `refs/heads/${tree.branch}^{commit}`], { cwd: tree.repo, env });
  if (!tip.ok) return null;
  const recorded = tree.head ?? tree.snapshot ?? tree.base;
  const now = tip.stdout.trim();
  if (now === recorded) return null;
  return `branch ${tree.branch} was kept: it points at ${now.slice(0, 12)}, not at ${recorded.slice(0, 12)} where the run left it (delete it with git branch -D once you know it holds nothing of yours)`;
}

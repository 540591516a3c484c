import { join } from 'node:path';
import type { Cleaned } from '../../executor/executor.js';
import type { Manifest } from '../../record/model.js';
import type { LocalRecord, WorktreeRecord } from '../model.js';
import { git } from '../../git/git.js';
import { removeWorktree } from './lifecycle.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Remove every worktree and branch of a finished run's local workers (kept or left over), prune
 * git's memory of them, and mark them removed in their records (the caller records the manifest
 * and owns the run folder). The folder removed is always the worker's `<run>/<worker>/worktree`,
 * whatever the record says; a branch is deleted only where it still points at the commit the run
 * recorded, so a branch that moved on (or one that is not this run's) is never lost.
 */
export async function cleanWorktrees(runDir: string, manifest: Manifest, env: Env): Promise<{ cleaned: Cleaned[]; failures: string[] }> {
  const cleaned: Cleaned[] = [];
  const failures: string[] = [];
  for (const worker of manifest.workers) {
    const local = worker.executor as unknown as LocalRecord;
    if (local.kind !== 'local' || local.worktree === undefined) continue;
    const tree = { ...local.worktree, path: join(runDir, worker.id, 'worktree') };
    const moved = await branchMoved(tree, env);
    const removed = await removeWorktree(tree, env, moved !== null);
    if (!removed.ok) {
      failures.push(removed.error);
      continue;
    }
    if (moved !== null) failures.push(moved);
    const wasThere = local.worktree.state !== 'removed';
    local.worktree = { ...local.worktree, state: 'removed' };
    if (wasThere) cleaned.push({ worker: worker.id, branch: tree.branch, path: tree.path, summary: `worktree ${tree.path}, branch ${tree.branch}` });
  }
  return { cleaned, failures };
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

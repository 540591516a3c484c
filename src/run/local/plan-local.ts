import { UserError } from '../../errors/index.js';
import type { PlanContext } from '../executor/executor.js';
import type { WorkerSpec } from '../record/model.js';
import { gitWorkTreeProbe } from '../git/work-tree.js';
import type { LocalConfig } from './model.js';
import { localSettings } from './settings.js';
import { worktreePlanner } from './worktree/plan-worktree.js';

/**
 * Plan the local workers of a run: whether each one's folder is in a git work tree (else codex
 * gets `--skip-git-repo-check`), and a git worktree of its own for each editing worker that asks
 * for isolation (its own `isolation`, else the run's), checked once for a tree the workers would
 * not see as it is.
 *
 * @throws {UserError} `worktree-unavailable`, `worktree-dirty`, `usage` (from-dirty without worktrees).
 */
export function planLocal(workers: ReadonlyArray<{ spec: WorkerSpec; where: string }>, context: PlanContext): void {
  const settings = localSettings(context.settings);
  const inGitRepo = gitWorkTreeProbe(context.env);
  const worktrees = worktreePlanner({ runDir: context.runDir, fromDirty: settings.fromDirty, reads: context.reads, env: context.env });
  let isolated = 0;
  for (const { spec } of workers) {
    const config = spec.executor.config as LocalConfig;
    config.inGitRepo = inGitRepo(spec.cwd);
    // Only a writer needs its own tree: readers see the project as it is.
    if ((config.isolation ?? settings.isolation) !== 'worktree' || spec.sandbox !== 'workspace-write') continue;
    const planned = worktrees.plan(spec.id, spec.cwd, spec.paths);
    config.worktree = planned.worktree;
    config.inGitRepo = true;
    spec.cwd = planned.cwd;
    isolated++;
  }
  if (settings.fromDirty && isolated === 0) throw new UserError('usage', 'run: from-dirty copies uncommitted changes into worktrees; it needs --isolation worktree (or `isolation: worktree` on a plan worker that edits)');
  worktrees.checkClean();
}

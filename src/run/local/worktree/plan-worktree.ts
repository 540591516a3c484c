import { accessSync, constants, realpathSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { UserError } from '../../../errors/index.js';
import type { WorktreePlan } from '../model.js';
import { isInside } from '../../../fs/path-inside.js';
import { gitReason, gitSync } from '../../git/git.js';
import { poolFolderProblem } from './pool.js';
import { uncommittedPaths } from './uncommitted.js';
import { workerBranch } from './branch-name.js';

/** Options of {@link worktreePlanner}. */
export interface WorktreePlannerOptions {
  runDir: string;
  /** Copy uncommitted changes in instead of refusing a dirty tree (`from-dirty`). */
  fromDirty: boolean;
  /** Files the run itself reads (the plan, a context pack): never a reason to call a tree dirty. */
  reads?: readonly string[];
  env?: Readonly<Record<string, string | undefined>>;
}

/** A planned worktree and the folder inside it where the worker runs. */
export interface PlannedWorktree {
  worktree: WorktreePlan;
  /** The worker's folder inside the worktree (its `cd` below the repository top). */
  cwd: string;
}

/** What {@link worktreePlanner} returns: plan each isolated worker, then check the trees once. */
export interface WorktreePlanner {
  /** The worktree of an isolated worker working in `folder` on `paths` (relative to it). */
  plan(workerId: string, folder: string, paths: readonly string[]): PlannedWorktree;
  /**
   * Refuse a repository with changes the workers would not see (unless `fromDirty`): any change
   * to a tracked file, and untracked files under a path an isolated worker may change. Untracked
   * files elsewhere, and the files the run reads, are no reason.
   *
   * @throws {UserError} `worktree-dirty`.
   */
  checkClean(): void;
}

/**
 * Plans the worktrees of a run's isolated editing workers: for a worker folder, the repository
 * it belongs to, the commit to branch from (HEAD), the branch `orch/<run>/<worker>` and the
 * worktree folder `<run>/<worker>/worktree`. Each repository is asked once.
 *
 * @throws {UserError} `worktree-unavailable` (not in a git repository, no commit yet, a git
 * folder that cannot be written).
 */
export function worktreePlanner(options: WorktreePlannerOptions): WorktreePlanner {
  const repos = new Map<string, { top: string; head: string; commonDir: string; paths: string[] }>();
  const runId = basename(options.runDir);
  const repoOf = (folder: string): { top: string; head: string; commonDir: string; paths: string[] } => {
    // One git call: the top folder, the common git folder (the worktree pool lives there) and HEAD.
    const top = gitSync(['rev-parse', '--show-toplevel', '--git-common-dir', '--verify', '--quiet', 'HEAD^{commit}'], { cwd: folder, ...envOf(options) });
    const [shown = '', common = '', commit = ''] = top.stdout.split('\n');
    if (!top.ok && common === '') throw new UserError('worktree-unavailable', `run: --isolation worktree: ${folder} is not in a git repository (${gitReason(top)}); run git init and commit, or run without --isolation worktree`, { data: { folder } });
    const root = realpathSync(shown.trim());
    const known = repos.get(root);
    if (known) return known;
    const commonDir = realpathSync(resolve(folder, common.trim()));
    // `git worktree add` writes below the common git folder: inside Codex's sandbox it is
    // read-only, and every isolated worker would fail alike. Say so once, before anything runs.
    const gitFolder = resolve(folder, common.trim());
    try {
      accessSync(gitFolder, constants.W_OK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'not writable';
      const why = code === 'EROFS' ? `is read-only (${code}), as .git folders are inside Codex's sandbox; run orch-prompt outside the sandbox` : `is not writable (${code}); run as a user who may write it`;
      throw new UserError('worktree-unavailable', `run: --isolation worktree: git cannot add worktrees here: ${gitFolder} ${why}, or run without --isolation worktree`, { data: { repo: root } });
    }
    if (!top.ok || commit.trim() === '') throw new UserError('worktree-unavailable', `run: --isolation worktree: ${root} has no commit yet to branch from; commit first`, { data: { repo: root } });
    const pool = poolFolderProblem(commonDir);
    if (pool !== null) throw new UserError('run-folder-unsafe', `run: --isolation worktree: ${pool}`, { data: { repo: root } });
    const repo = { top: root, head: commit.trim(), commonDir, paths: [] };
    repos.set(root, repo);
    return repo;
  };
  return {
    plan(workerId, folder, paths) {
      const repo = repoOf(folder);
      const real = realpathSync(folder);
      repo.paths.push(...paths.map((path) => resolve(real, path)));
      const path = join(options.runDir, workerId, 'worktree');
      const below = relative(repo.top, real);
      const cwd = below === '' || !isInside(resolve(repo.top, below), repo.top) ? path : join(path, below);
      return { worktree: { repo: repo.top, base: repo.head, branch: workerBranch(runId, workerId), path, commonDir: repo.commonDir, fromDirty: options.fromDirty }, cwd };
    },
    checkClean() {
      if (options.fromDirty) return;
      for (const repo of repos.values()) {
        const dirty = uncommittedPaths(repo.top, { exclude: [options.runDir, ...(options.reads ?? [])], untrackedUnder: repo.paths, ...envOf(options) });
        if (dirty.length === 0) continue;
        const listed = dirty.slice(0, 3).join(', ') + (dirty.length > 3 ? `, ... (${dirty.length} in all)` : '');
        throw new UserError('worktree-dirty', `run: --isolation worktree: ${repo.top} has uncommitted changes (${listed}); commit or stash them, or give --set from-dirty=true to copy them into each worktree`, { data: { repo: repo.top, paths: dirty } });
      }
    },
  };
}

function envOf(options: { env?: Readonly<Record<string, string | undefined>> }): { env?: Readonly<Record<string, string | undefined>> } {
  return options.env ? { env: options.env } : {};
}

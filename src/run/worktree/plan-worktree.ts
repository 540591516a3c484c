import { accessSync, constants, realpathSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { UserError } from '../../errors/index.js';
import type { WorktreePlan } from '../model.js';
import { isInside } from '../path-inside.js';
import { gitReason, gitSync } from './git.js';
import { rememberCommonDir } from './pool.js';
import { uncommittedPaths } from './uncommitted.js';
import { workerBranch } from './branch-name.js';

/** Options of {@link worktreePlanner}. */
export interface WorktreePlannerOptions {
  runDir: string;
  /** Copy uncommitted changes in instead of refusing a dirty tree (`--from-dirty`). */
  fromDirty: boolean;
  env?: Readonly<Record<string, string | undefined>>;
}

/** A planned worktree and the folder inside it where the worker runs. */
export interface PlannedWorktree {
  worktree: WorktreePlan;
  /** The worker's folder inside the worktree (its `cd` below the repository top). */
  cwd: string;
}

/**
 * Plans the worktrees of a run's isolated editing workers: for a worker folder, the repository
 * it belongs to, the commit to branch from (HEAD), the branch `orch/<run>/<worker>` and the
 * worktree folder `<run>/<worker>/worktree`. Each repository is asked once; a dirty one is
 * refused (unless `fromDirty`), so that a worker never starts from something other than what
 * HEAD says.
 *
 * @throws {UserError} `worktree-unavailable` (not in a git repository, no commit yet),
 * `worktree-dirty` (uncommitted changes without `--from-dirty`).
 */
export function worktreePlanner(options: WorktreePlannerOptions): (workerId: string, folder: string) => PlannedWorktree {
  const repos = new Map<string, { top: string; head: string }>();
  const runId = basename(options.runDir);
  const repoOf = (folder: string): { top: string; head: string } => {
    // One git call: the top folder, the common git folder (the worktree pool lives there) and HEAD.
    const top = gitSync(['rev-parse', '--show-toplevel', '--git-common-dir', '--verify', '--quiet', 'HEAD^{commit}'], { cwd: folder, ...envOf(options) });
    const [shown = '', common = '', commit = ''] = top.stdout.split('\n');
    if (!top.ok && common === '') throw new UserError('worktree-unavailable', `run: --isolation worktree: ${folder} is not in a git repository (${gitReason(top)}); run git init and commit, or run without --isolation worktree`, { data: { folder } });
    const root = realpathSync(shown.trim());
    const known = repos.get(root);
    if (known) return known;
    rememberCommonDir(root, common.trim(), folder);
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
    if (!options.fromDirty) {
      const dirty = uncommittedPaths(root, { exclude: [options.runDir], ...envOf(options) });
      if (dirty.length > 0) {
        const listed = dirty.slice(0, 3).join(', ') + (dirty.length > 3 ? `, ... (${dirty.length} in all)` : '');
        throw new UserError('worktree-dirty', `run: --isolation worktree: ${root} has uncommitted changes (${listed}); commit or stash them, or pass --from-dirty to copy them into each worktree`, { data: { repo: root, paths: dirty } });
      }
    }
    const repo = { top: root, head: commit.trim() };
    repos.set(root, repo);
    return repo;
  };
  return (workerId, folder) => {
    const repo = repoOf(folder);
    const path = join(options.runDir, workerId, 'worktree');
    const below = relative(repo.top, realpathSync(folder));
    const cwd = below === '' || !isInside(resolve(repo.top, below), repo.top) ? path : join(path, below);
    return { worktree: { repo: repo.top, base: repo.head, branch: workerBranch(runId, workerId), path, fromDirty: options.fromDirty }, cwd };
  };
}

function envOf(options: { env?: Readonly<Record<string, string | undefined>> }): { env?: Readonly<Record<string, string | undefined>> } {
  return options.env ? { env: options.env } : {};
}

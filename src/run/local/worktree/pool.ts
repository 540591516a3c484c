import { randomBytes } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { readTextBounded } from '../../../fs/read-bounded.js';
import type { WorktreeRecord } from '../model.js';
import { isInside } from '../../../fs/path-inside.js';
import { UserError } from '../../../errors/index.js';
import { git, gitReason, gitSync } from '../../git/git.js';
import { worktreeStatus } from './status.js';

type Env = Readonly<Record<string, string | undefined>>;

// Checking out a repository's files is what a worktree costs (a second for 5,000 files on a
// slow disk), and a worker that changed nothing leaves a checkout as good as new. So its
// worktree is not removed but parked in the repository's pool, `<git common dir>/orch-prompt/
// worktrees/slot-*`, detached and without ignored files, and the next worker takes it over:
// one rename, and a checkout of the files that differ when the base commit moved.
// A slot is claimed by renaming it: of two runners taking the same slot, one gets ENOENT.

const slotName = /^slot-[0-9a-f]{12}$/;

/** A repository's git common folder (where its worktree pool lives), as git names it; null: no repository. */
export function commonDirOf(repo: string, env: Env): string | null {
  const asked = gitSync(['rev-parse', '--git-common-dir'], { cwd: repo, env });
  return asked.ok ? realpathSync(resolve(repo, asked.stdout.trim())) : null;
}

/**
 * Why the repository's pool folder cannot be used: `orch-prompt` or `worktrees` below the git
 * folder is a link or a file (worktrees would be taken from, or parked in, somewhere else).
 * Null when it is fine or not there yet.
 */
export function poolFolderProblem(commonDir: string): string | null {
  const pool = poolDir(commonDir);
  for (const path of [dirname(pool), pool]) {
    let stat;
    try {
      stat = lstatSync(path);
    } catch {
      return null; // made as a folder when the first worktree is parked
    }
    if (!stat.isDirectory()) return `the worktree pool ${path} is ${stat.isSymbolicLink() ? 'a symbolic link' : 'not a folder'}; remove it (worktrees are never taken from or parked through one)`;
  }
  return null;
}

/** The folder of a repository's worktree pool, in its git common folder. */
export function poolDir(commonDir: string): string {
  return join(commonDir, 'orch-prompt', 'worktrees');
}

/**
 * The folder where git keeps a linked worktree's HEAD and index, read from its `.git` file
 * (`gitdir: PATH`, absolute or relative to the worktree); null when it is not a linked worktree.
 */
export function worktreeGitDir(path: string): string | null {
  let text: string;
  try {
    text = readTextBounded(join(path, '.git'), { maxBytes: 4096, what: 'a worktree .git file' });
  } catch {
    return null;
  }
  const match = /^gitdir: (.+?)\s*$/m.exec(text);
  return match?.[1] ? resolve(path, match[1]) : null;
}

function slotsOf(pool: string): string[] {
  try {
    return readdirSync(pool).filter((name) => slotName.test(name));
  } catch {
    return [];
  }
}

/** Tell git where a moved worktree is now (what `git worktree repair` writes), without a process. */
function relink(path: string, gitDir: string): boolean {
  try {
    writeFileSync(join(gitDir, 'gitdir'), `${join(realpathSync(path), '.git')}\n`);
    return true;
  } catch {
    return false;
  }
}

/** Whether `gitDir` is one of the repository's worktree folders (`<common>/worktrees/<id>`). */
function ownWorktree(gitDir: string, pool: string): boolean {
  try {
    return isInside(realpathSync(gitDir), join(dirname(dirname(pool)), 'worktrees'));
  } catch {
    return false;
  }
}

/**
 * Take a worktree from the repository's pool for `record`: move it to `record.path`, detached
 * at `record.base` (checked out there unless it is there already). False when there is none to
 * take or it cannot be used (the pool is on another file system); the caller then creates the
 * worktree. A slot that failed half-way is removed, never left broken.
 */
export async function claimPooled(record: WorktreeRecord, env: Env): Promise<boolean> {
  const pool = poolDir(record.commonDir);
  for (const slot of slotsOf(pool)) {
    try {
      renameSync(join(pool, slot), record.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // taken by another runner
      return false;
    }
    const gitDir = worktreeGitDir(record.path);
    if (gitDir === null || !ownWorktree(gitDir, pool) || !relink(record.path, gitDir)) {
      await discard(record, env);
      return false;
    }
    // A slot is taken over only as good as new: at the base, nothing changed, nothing ignored
    // left (the usual case, one `git status`); else it is reset first.
    const status = await worktreeStatus(record.path, env);
    if (status.ok && status.head === record.base && status.branch === null && !status.changed && !status.ignored) return true;
    const at = { cwd: record.path, env };
    if ((await git(['checkout', '--quiet', '--force', '--detach', record.base], at)).ok && (await git(['clean', '-ffdxq'], at)).ok) return true;
    await discard(record, env);
    return false;
  }
  return false;
}

/**
 * Park a finished, detached worktree that holds nothing new (`gitDir`: its git folder, as
 * {@link worktreeGitDir} read it): remove ignored files when `ignored` and move it into the pool. False when the pool is full (`size`), off (0), or the
 * worktree cannot be parked (initialized submodules, another file system); the caller then
 * removes it.
 */
export async function parkInPool(record: WorktreeRecord, options: { env: Env; size: number; ignored: boolean; gitDir: string }): Promise<boolean> {
  const { env, gitDir } = options;
  const pool = poolDir(record.commonDir);
  if (options.size <= 0 || slotsOf(pool).length >= options.size) return false;
  // Submodules checked out by the worker live in the worktree's git folder: not as good as new.
  if (existsSync(join(gitDir, 'modules'))) return false;
  if (options.ignored && !(await git(['clean', '-ffdxq'], { cwd: record.path, env })).ok) return false;
  const slot = join(pool, `slot-${randomBytes(6).toString('hex')}`);
  try {
    mkdirSync(pool, { recursive: true });
    renameSync(record.path, slot);
  } catch {
    return false;
  }
  // Should git not learn where it went, the next runner to take it says so again.
  relink(slot, gitDir);
  record.state = 'removed';
  return true;
}

/** One pooled worktree `runs clean --pool` removed, or could not. */
export interface DrainedSlot {
  path: string;
  error?: string;
}

/** Remove every worktree in the pool of the repository at `repo` (`runs clean --pool`). */
export async function drainPool(repo: string, commonDir: string, env: Env): Promise<DrainedSlot[]> {
  const pool = poolDir(commonDir);
  const drained: DrainedSlot[] = [];
  for (const slot of slotsOf(pool)) {
    const path = join(pool, slot);
    const removed = await git(['worktree', 'remove', '--force', '--force', path], { cwd: repo, env });
    drained.push(removed.ok || !existsSync(path) ? { path } : { path, error: gitReason(removed) });
  }
  await git(['worktree', 'prune'], { cwd: repo, env });
  return drained;
}

/** Remove a slot that could not be taken over; it is in the worker's folder by now, so its folder goes too. */
async function discard(record: WorktreeRecord, env: Env): Promise<void> {
  await git(['worktree', 'remove', '--force', '--force', record.path], { cwd: record.repo, env });
  rmSync(record.path, { recursive: true, force: true });
  await git(['worktree', 'prune'], { cwd: record.repo, env });
}

/**
 * `runs clean --pool`: remove every worktree the repository at `cwd` keeps for reuse.
 *
 * @throws {UserError} `usage` outside a repository, `run-folder-unsafe` for a pool that is a
 * link, `clean-failed` naming one that stayed.
 */
export async function cleanPool(cwd: string, env: Env): Promise<DrainedSlot[]> {
  const commonDir = commonDirOf(cwd, env);
  if (commonDir === null) throw new UserError('usage', `runs clean --pool: ${cwd} is not in a git repository`);
  const problem = poolFolderProblem(commonDir);
  if (problem !== null) throw new UserError('run-folder-unsafe', `runs clean --pool: ${problem}`);
  const top = gitSync(['rev-parse', '--show-toplevel'], { cwd, env });
  const drained = await drainPool(top.ok ? top.stdout.trim() : cwd, commonDir, env);
  const stayed = drained.filter((slot) => slot.error !== undefined);
  if (stayed.length > 0) throw new UserError('clean-failed', `runs clean --pool: cannot remove ${stayed[0]?.path ?? ''}: ${stayed[0]?.error ?? ''}${stayed.length > 1 ? ` (and ${stayed.length - 1} more)` : ''}`);
  return drained;
}

import { copyFileSync, existsSync, lstatSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DiffStat, WorktreeRecord } from '../model.js';
import { commitOptions, git, gitReason, type GitOptions, type GitResult } from '../../git/git.js';
import { claimPooled, parkInPool, worktreeGitDir } from './pool.js';
import { worktreeStatus } from './status.js';
import { uncommittedPaths } from './uncommitted.js';

type Env = Readonly<Record<string, string | undefined>>;

/** How creating or finishing a worktree went; a failure has the same shape as a success. */
export type WorktreeStep = { ok: true } | { ok: false; error: string };


/**
 * Make the worker's worktree, detached at the base commit: take one over from the repository's
 * pool, else `git worktree add --detach <path> <base>`; or reuse it when it is already there (a
 * resumed run), or check the branch out again when only the branch is left. The branch itself
 * is made when the worker leaves something to put on it ({@link finishWorktree}), which spares
 * two ref updates per worker that changes nothing. With `fromDirty`, the
 * repository's uncommitted changes (tracked and untracked, not the run folders) are copied in
 * and committed as the branch's first commit, recorded as `snapshot`, so that the worker's own
 * changes stay separate.
 */
export async function createWorktree(record: WorktreeRecord, options: { env: Env; runDir: string; serial<T>(step: () => Promise<T>): Promise<T> }): Promise<WorktreeStep> {
  const at = (cwd: string): GitOptions => ({ cwd, env: options.env });
  if (existsSync(join(record.path, '.git'))) return { ok: true };
  mkdirSync(dirname(record.path), { recursive: true });
  let branchExisted = false;
  if (!(await claimPooled(record, options.env))) {
    branchExisted = (await git(['rev-parse', '--verify', '--quiet', `refs/heads/${record.branch}`], at(record.repo))).ok;
    const added = await addWorktree(record, branchExisted, options);
    if (!added.ok) return { ok: false, error: `worktree: cannot create ${record.path} on ${record.branch}: ${gitReason(added)}` };
  }
  record.state = 'planned';
  if (!record.fromDirty || branchExisted) return { ok: true };
  const copied = await copyUncommitted(record, options);
  if (!copied.ok) return copied;
  const snapshot = await commitAll(record.path, `orch-prompt: uncommitted changes of ${record.repo} (from-dirty)`, options.env);
  if (!snapshot.ok) return snapshot;
  if (snapshot.commit !== null) record.snapshot = snapshot.commit;
  return { ok: true };
}

/** A git complaint that says another git command was changing the list of worktrees meanwhile. */
const worktreeListRace = /failed to read .*(commondir|gitdir)|could not lock|\.lock': File exists/;

/**
 * `git worktree add`, in two steps: registering the worktree changes the repository's list of
 * worktrees, which git does not guard against another `worktree add` or `remove` reading or
 * changing it at the same time ("failed to read .git/worktrees/worktree1/commondir"), so it is
 * done one at a time in a run (and once more after a pause when a command of another run got in
 * the way); checking the files out, the slow part, is done by each worker at once.
 */
async function addWorktree(record: WorktreeRecord, branchExisted: boolean, options: { env: Env; serial<T>(step: () => Promise<T>): Promise<T> }): Promise<GitResult> {
  const args = ['worktree', 'add', '--no-checkout', ...(branchExisted ? [record.path, record.branch] : ['--detach', record.path, record.base])];
  const register = (): Promise<GitResult> => options.serial(() => git(args, { cwd: record.repo, env: options.env }));
  let added = await register();
  if (!added.ok && worktreeListRace.test(added.stderr) && !existsSync(join(record.path, '.git'))) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    added = await register();
  }
  if (!added.ok) return added;
  return git(['reset', '--hard', '--quiet'], { cwd: record.path, env: options.env });
}

/**
 * After the worker: whatever it left is committed (untracked files count), a stale
 * `index.lock` of a worker that was killed is removed first, and then a worktree with changes
 * is kept on its branch (`head`, `diffstat`, and `outside`: the files it changed beyond `paths`,
 * repository-relative, `''` for all of it) while one without goes back to the repository's pool
 * (at most `poolSize` wait there) or is removed, with its branch if it had one.
 */
export function finishWorktree(record: WorktreeRecord, options: { env: Env; message: string; poolSize: number; paths: readonly string[]; serial<T>(step: () => Promise<T>): Promise<T> }): Promise<WorktreeStep> {
  // Committing and removing take repository-wide locks (`packed-refs` when a branch is deleted):
  // one at a time in a run. Adding needs none (each worktree is new), so writers start together.
  return options.serial(async () => {
    const at = (cwd: string): GitOptions => ({ cwd, env: options.env });
    if (!existsSync(join(record.path, '.git'))) return { ok: false, error: `worktree: ${record.path} is gone` };
    // A worker ended in the middle of a git command leaves its lock: git would refuse everything after.
    const gitDir = worktreeGitDir(record.path);
    if (gitDir !== null) rmSync(join(gitDir, 'index.lock'), { force: true });
    const status = await worktreeStatus(record.path, options.env);
    if (!status.ok) return status;
    let head = status.head;
    if (status.changed) {
      const committed = await commitAll(record.path, options.message, options.env);
      if (!committed.ok) return committed;
      if (committed.commit !== null) head = committed.commit;
    }
    const start = record.snapshot ?? record.base;
    if (head === start) {
      if (status.branch === null && gitDir !== null && (await parkInPool(record, { env: options.env, size: options.poolSize, ignored: status.ignored, gitDir }))) return { ok: true };
      return removeWorktree(record, options.env, false);
    }
    if (status.branch !== record.branch) {
      const branched = await git(['checkout', '--quiet', '-b', record.branch], at(record.path));
      if (!branched.ok) return { ok: false, error: `worktree: cannot make branch ${record.branch} in ${record.path}: ${gitReason(branched)}` };
    }
    const stat = await git(['diff', '--shortstat', start, head], at(record.path));
    record.head = head;
    record.diffstat = parseShortstat(stat.stdout);
    // What a worker changed beyond the paths it was given is reported, and never applied.
    const names = await git(['diff', '--name-only', '-z', '--no-renames', start, head], at(record.path));
    const outside = names.stdout.split('\0').filter((name) => name !== '' && !options.paths.some((allowed) => allowed === '' || name === allowed || name.startsWith(`${allowed}/`)));
    if (outside.length > 0) record.outside = outside;
    else delete record.outside;
    record.state = 'kept';
    return { ok: true };
  });
}

/**
 * Remove a worker's worktree (even a locked one) and, unless `keepBranch`, its branch; prune
 * what git still remembers of it. Missing pieces are not an error: removing is idempotent.
 */
export async function removeWorktree(record: WorktreeRecord, env: Env, keepBranch: boolean): Promise<WorktreeStep> {
  const at: GitOptions = { cwd: record.repo, env };
  if (existsSync(record.path)) {
    const removed = await git(['worktree', 'remove', '--force', '--force', record.path], at);
    if (!removed.ok && existsSync(record.path)) {
      // Not a worktree git knows (any more): the folder is still ours, inside the run folder.
      if (!lstatSync(record.path).isDirectory()) return { ok: false, error: `worktree: cannot remove ${record.path}: ${gitReason(removed)}` };
      rmSync(record.path, { recursive: true, force: true });
    }
  }
  await git(['worktree', 'prune'], at);
  if (!keepBranch && (await git(['rev-parse', '--verify', '--quiet', `refs/heads/${record.branch}`], at)).ok) {
    const deleted = await git(['branch', '-D', record.branch], at);
    if (!deleted.ok) return { ok: false, error: `worktree: cannot delete branch ${record.branch}: ${gitReason(deleted)}` };
  }
  record.state = 'removed';
  return { ok: true };
}

/** Stage everything in `dir` and commit it when there is anything; `commit` is null when there was not. */
async function commitAll(dir: string, message: string, env: Env): Promise<{ ok: true; commit: string | null } | { ok: false; error: string }> {
  const at: GitOptions = { cwd: dir, env };
  const add = await git(['add', '-A', '--', '.'], at);
  if (!add.ok) return { ok: false, error: `worktree: git add in ${dir}: ${gitReason(add)}` };
  if ((await git(['diff', '--cached', '--quiet'], at)).ok) return { ok: true, commit: null };
  // No hooks: the user's pre-commit checks must not throw the worker's changes away.
  const commit = await git([...(await commitOptions(at)), 'commit', '--no-verify', '--quiet', '-m', message], at);
  if (!commit.ok) return { ok: false, error: `worktree: git commit in ${dir}: ${gitReason(commit)}` };
  const head = await git(['rev-parse', 'HEAD'], at);
  return { ok: true, commit: head.stdout.trim() };
}

/** Copy the repository's uncommitted changes into the new worktree: tracked as a patch, untracked as files. */
async function copyUncommitted(record: WorktreeRecord, options: { env: Env; runDir: string }): Promise<WorktreeStep> {
  const diff = await git(['diff', '--binary', record.base], { cwd: record.repo, env: options.env });
  if (!diff.ok) return { ok: false, error: `worktree: from-dirty: git diff: ${gitReason(diff)}` };
  if (diff.stdout.trim() !== '') {
    const applied = await git(['apply', '--binary', '--whitespace=nowarn', '-'], { cwd: record.path, env: options.env, input: `${diff.stdout}\n` });
    if (!applied.ok) return { ok: false, error: `worktree: from-dirty: cannot copy the changes in: ${gitReason(applied)}` };
  }
  const tracked = new Set((await git(['ls-files', '-z'], { cwd: record.repo, env: options.env })).stdout.split('\0'));
  for (const path of uncommittedPaths(record.repo, { exclude: [options.runDir], env: options.env })) {
    if (tracked.has(path)) continue;
    const from = join(record.repo, path);
    if (!existsSync(from) || !lstatSync(from).isFile()) continue;
    mkdirSync(dirname(join(record.path, path)), { recursive: true });
    copyFileSync(from, join(record.path, path));
  }
  return { ok: true };
}

/** `N files changed, A insertions(+), D deletions(-)`, any part missing counted as 0. */
export function parseShortstat(text: string): DiffStat {
  const count = (pattern: RegExp): number => Number(pattern.exec(text)?.[1] ?? 0);
  return { files: count(/(\d+) files? changed/), insertions: count(/(\d+) insertions?\(\+\)/), deletions: count(/(\d+) deletions?\(-\)/) };
}

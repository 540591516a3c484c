import { UserError } from '../../../errors/index.js';
import type { DiffStat, WorktreeRecord } from '../model.js';
import { commitOptions, git, gitReason, type GitOptions } from '../../git/git.js';
import { parseShortstat } from './lifecycle.js';
import { uncommittedPaths } from './uncommitted.js';

/** What `runs apply` did with a worker's branch. */
export interface AppliedBranch {
  /** The repository it was merged in, and its branch (or `HEAD` when detached). */
  repo: string;
  into: string;
  branch: string;
  /** The merge commit, or null when the branch was already merged. */
  commit: string | null;
  diffstat: DiffStat;
}

/**
 * Merge a kept worker branch into the current branch of the repository at `cwd` (a merge
 * commit, so the worker's commit stays visible). All or nothing: tracked files must be
 * unchanged first, and a conflicting merge is aborted, leaving HEAD, the index and the files as
 * they were, and reported with the conflicting paths.
 *
 * @throws {UserError} `nothing-to-apply`, `apply-refused` or `apply-conflict`.
 */
export async function applyWorktreeBranch(worker: string, tree: WorktreeRecord, options: { cwd: string; env: Readonly<Record<string, string | undefined>> }): Promise<AppliedBranch> {
  if (tree.state !== 'kept') {
    const why = tree.state === 'removed' ? 'it changed nothing, or its worktree was removed' : 'it has not finished';
    throw new UserError('nothing-to-apply', `runs apply: worker \`${worker}\` has no change to apply (${why})`, { data: { worker, state: tree.state } });
  }
  if (tree.outside !== undefined && tree.outside.length > 0) {
    const shown = tree.outside.slice(0, 3).join(', ') + (tree.outside.length > 3 ? `, ... (${tree.outside.length} in all)` : '');
    throw new UserError('apply-refused', `runs apply: worker \`${worker}\` changed files outside the paths it was given (${shown}); nothing was applied (look at them with git diff ${tree.base.slice(0, 12)} ${tree.branch}, and merge by hand what you want)`, { data: { worker, outside: tree.outside } });
  }
  const top = await git(['rev-parse', '--show-toplevel'], { cwd: options.cwd, env: options.env });
  if (!top.ok) throw new UserError('apply-refused', `runs apply: ${options.cwd} is not in a git repository (${gitReason(top)}); run it in the repository the run worked in`);
  const at: GitOptions = { cwd: top.stdout.trim(), env: options.env };
  const tip = await git(['rev-parse', '--verify', '--quiet', `refs/heads/${tree.branch}^{commit}`], at);
  if (!tip.ok) throw new UserError('apply-refused', `runs apply: no branch ${tree.branch} in ${at.cwd}; run it in the repository the run worked in (${tree.repo}), and not after \`runs clean\``, { data: { branch: tree.branch } });
  // Only what the run left: a branch that moved since (new commits, another history) is not applied.
  if (tree.head !== undefined && tip.stdout.trim() !== tree.head) {
    throw new UserError('apply-refused', `runs apply: branch ${tree.branch} points at ${tip.stdout.trim().slice(0, 12)}, not at ${tree.head.slice(0, 12)} where worker \`${worker}\` left it; nothing was applied (merge it by hand if the new commits are yours)`, { data: { branch: tree.branch } });
  }
  const into = (await git(['symbolic-ref', '--quiet', '--short', 'HEAD'], at)).stdout.trim() || 'HEAD';
  const before = (await git(['rev-parse', 'HEAD'], at)).stdout.trim();
  const diffstat = parseShortstat((await git(['diff', '--shortstat', `${before}...${tip.stdout.trim()}`], at)).stdout);
  // Applied before: nothing to do (what the worker changed is what its record says).
  if ((await git(['merge-base', '--is-ancestor', tip.stdout.trim(), 'HEAD'], at)).ok) return { repo: at.cwd, into, branch: tree.branch, commit: null, diffstat: tree.diffstat ?? diffstat };
  // An aborted merge restores only what it touched: changed tracked files could be lost.
  const changed = uncommittedPaths(at.cwd, { untracked: false, env: options.env });
  if (changed.length > 0) {
    throw new UserError('apply-refused', `runs apply: ${at.cwd} has uncommitted changes (${changed.slice(0, 3).join(', ')}${changed.length > 3 ? ', ...' : ''}); commit or stash them first`, { data: { paths: changed } });
  }
  const merge = await git([...(await commitOptions(at)), 'merge', '--no-ff', '--no-verify', '--no-edit', '-m', `Merge ${tree.branch} (worker ${worker}, orch-prompt runs apply)`, tree.branch], at);
  if (merge.ok) return { repo: at.cwd, into, branch: tree.branch, commit: (await git(['rev-parse', 'HEAD'], at)).stdout.trim(), diffstat };
  const conflicts = (await git(['diff', '--name-only', '--diff-filter=U', '-z'], at)).stdout.split('\0').filter(Boolean);
  const inMerge = (await git(['rev-parse', '--verify', '--quiet', 'MERGE_HEAD'], at)).ok;
  if (inMerge && !(await git(['merge', '--abort'], at)).ok) await git(['reset', '--merge', before], at);
  if (conflicts.length === 0) throw new UserError('apply-refused', `runs apply: git refused to merge ${tree.branch}: ${gitReason(merge)}; nothing was applied`, { data: { branch: tree.branch } });
  const shown = conflicts.slice(0, 5).join(', ') + (conflicts.length > 5 ? `, ... (${conflicts.length} in all)` : '');
  throw new UserError(
    'apply-conflict',
    `runs apply: ${tree.branch} conflicts with ${into} in ${conflicts.length} file${conflicts.length === 1 ? '' : 's'} (${shown}); nothing was applied. Merge it by hand: git merge ${tree.branch}`,
    { data: { branch: tree.branch, conflicts } },
  );
}

import { gitSync } from './git.js';

/**
 * Whether `dir` is inside a git work tree, as git itself sees it (`git rev-parse
 * --is-inside-work-tree`): a stray `.git` folder above a temporary folder is not a repository,
 * and `GIT_DIR`, worktrees and `safe.directory` count as git counts them. When git is missing or
 * refuses, the folder is treated as outside a repository (codex then gets
 * `--skip-git-repo-check`, which is harmless inside one).
 */
export function insideGitWorkTree(dir: string, env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  const result = gitSync(['rev-parse', '--is-inside-work-tree'], { cwd: dir, env });
  return result.ok && result.stdout.trim() === 'true';
}

/** {@link insideGitWorkTree}, asked once per folder: workers of a run often share one. */
export function gitWorkTreeProbe(env: Readonly<Record<string, string | undefined>> = process.env): (dir: string) => boolean {
  const known = new Map<string, boolean>();
  return (dir) => {
    if (!known.has(dir)) known.set(dir, insideGitWorkTree(dir, env));
    return known.get(dir) as boolean;
  };
}

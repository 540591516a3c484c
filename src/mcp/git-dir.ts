import { existsSync, lstatSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { readTextBounded } from '../fs/read-bounded.js';

// Which repository the served folder is in, found without running git: git reads the
// repository's config before anything else, and a config can run programs (core.fsmonitor,
// hooks, ...). A repository the sandboxed model made (anywhere it may write: below the folder,
// or above it under /tmp) must never get that far.

/**
 * The git folder of the repository `folder` is in, as git finds it: `$GIT_DIR` when set, else
 * the first `.git` upward that is a repository (a folder holding `HEAD` and `objects` and `refs`,
 * or a `commondir`), or a file `gitdir: PATH` (a linked worktree, a submodule), as a real path,
 * never looking into a folder of `$GIT_CEILING_DIRECTORIES` above `folder`. Null when there is none.
 */
export function findGitDir(folder: string, env: Readonly<Record<string, string | undefined>>): string | null {
  const start = real(folder);
  if (start === null) return null;
  const given = env['GIT_DIR'];
  if (given !== undefined && given !== '') return real(resolve(start, given));
  const ceilings = (env['GIT_CEILING_DIRECTORIES'] ?? '').split(':').filter((path) => isAbsolute(path)).map((path) => real(path) ?? path);
  for (let dir = start; ; dir = dirname(dir)) {
    const found = gitDirAt(join(dir, '.git'));
    if (found !== null) return found;
    if (dirname(dir) === dir || ceilings.includes(dirname(dir))) return null;
  }
}

/** The git folder `.git` at `path` stands for, when it is a repository (or points to one). */
function gitDirAt(path: string): string | null {
  let isFile: boolean;
  try {
    isFile = lstatSync(path).isFile();
  } catch {
    return null;
  }
  if (!isFile) return isRepository(path) ? real(path) : null;
  let text: string;
  try {
    text = readTextBounded(path, { maxBytes: 4096, what: 'a .git file' });
  } catch {
    return null;
  }
  const target = /^gitdir: (.+)$/m.exec(text)?.[1]?.trim();
  if (target === undefined) return null;
  const dir = isAbsolute(target) ? target : resolve(dirname(path), target);
  return isRepository(dir) ? real(dir) : null;
}

/** Whether `dir` looks like a git folder to git (`is_git_directory`: HEAD, and objects and refs, or a commondir). */
function isRepository(dir: string): boolean {
  const has = (name: string): boolean => existsSync(join(dir, name));
  return has('HEAD') && (has('commondir') || (has('objects') && has('refs')));
}

function real(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

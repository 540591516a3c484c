import { join } from 'node:path';
import { isInside } from '../../../fs/path-inside.js';
import { runsDir } from '../../record/run-id.js';
import { gitSync } from '../../git/git.js';

/** Options of {@link uncommittedPaths}. */
export interface UncommittedOptions {
  /** Folders whose contents do not count (the run folder being planned). */
  exclude?: readonly string[];
  /** Count untracked files (default true): they would be missing from a worktree. */
  untracked?: boolean;
  /** Count untracked files only under these folders (absolute): where the isolated workers work. */
  untrackedUnder?: readonly string[];
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Paths (relative to `repo`) that differ from HEAD: staged or unstaged changes and, unless told
 * otherwise, untracked files that are not ignored (with `untrackedUnder`, only those below one
 * of its folders). Run folders (`.orch/runs/` and `exclude`) do not count: they are the runner's
 * own record, and they hold earlier runs' worktrees.
 */
export function uncommittedPaths(repo: string, options: UncommittedOptions = {}): string[] {
  const untracked = options.untracked === false ? 'no' : 'all';
  const status = gitSync(['--no-optional-locks', 'status', '--porcelain=v1', '-z', `--untracked-files=${untracked}`, '--no-renames'], { cwd: repo, ...(options.env ? { env: options.env } : {}) });
  if (!status.ok) return [`(git status failed: ${status.stderr.trim()})`];
  const skip = [join(repo, runsDir), ...(options.exclude ?? [])];
  const under = options.untrackedUnder;
  return status.stdout
    .split('\0')
    .filter((entry) => entry.length > 3)
    .filter((entry) => under === undefined || !entry.startsWith('?? ') || under.some((folder) => isInside(join(repo, entry.slice(3)), folder)))
    .map((entry) => entry.slice(3))
    .filter((path) => !skip.some((folder) => isInside(join(repo, path), folder)));
}

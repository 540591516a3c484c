import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

// Linux's own limit on links followed in one path lookup.
const maxLinks = 40;

/**
 * Where a path leads once its symbolic links are followed: the real path of what is there, or,
 * when nothing is (a dangling link, or a new path), the path that writing through it would
 * create. A folder linked from dotfiles is thus updated where it lives, and the link stays.
 *
 * @throws the system error (`ELOOP` for a link cycle, `EACCES`, ...).
 */
export function linkTarget(path: string): string {
  try {
    return realpathSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  let current = resolve(path);
  for (let hops = 0; hops < maxLinks; hops++) {
    let isLink: boolean;
    try {
      isLink = lstatSync(current).isSymbolicLink();
    } catch {
      return current;
    }
    if (!isLink) return current;
    // Relative to the folder the link really sits in, as the kernel reads it.
    current = resolve(realpathSync(dirname(current)), readlinkSync(current));
  }
  throw Object.assign(new Error(`too many levels of symbolic links: ${path}`), { code: 'ELOOP', path });
}

/** Whether `path` is itself a symbolic link (false when nothing is there). */
export function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Whether `path`, or a folder between `from` (below it) and `path`, is a symbolic link. */
export function linkOnTheWay(from: string, path: string): boolean {
  const steps = relative(from, path).split(sep);
  return steps.some((_, i) => isLink(join(from, ...steps.slice(0, i + 1))));
}

/** The real path of `path` (its links followed), or `path` itself when that cannot be had (nothing there yet). */
export function realpathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

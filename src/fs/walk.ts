import { lstatSync, readdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Options of {@link walkFiles}. */
export interface WalkOptions {
  /** Which files to return, by file name (default: all). */
  match?(name: string): boolean;
  /**
   * Folders not to enter, by name (default {@link defaultSkipDir}: `.git`, `node_modules` and
   * other dot-folders).
   */
  skipDir?(name: string): boolean;
  /** Folder levels below the root to enter (default 16). */
  maxDepth?: number;
  /** Entries to look at before giving up with a warning (default 20,000). */
  maxEntries?: number;
  /**
   * Follow symbolic links (default `true`). With `false`, a link is never followed: it is listed
   * in {@link WalkResult.others} (when its name matches, or it leads to a folder the walk would
   * enter), for callers that must see a folder exactly as it is on disk.
   */
  followLinks?: boolean;
}

/** What a walk found. */
export interface WalkResult {
  /** Absolute paths of matching regular files (symbolic links to files included), sorted. */
  files: string[];
  /** What was passed over and why, one line each (a FIFO named `x.md`, a link loop, a limit). */
  warnings: string[];
  /** Absolute paths of the folders found below the root (skipped ones left out), sorted. */
  folders: string[];
  /**
   * Absolute paths of matching entries that are neither regular files nor folders: FIFOs,
   * sockets, devices, broken links, and (with `followLinks: false`) every symbolic link. Sorted.
   */
  others: string[];
}

/** Folders skipped by default: version control, dependencies, and any other dot-folder. */
export function defaultSkipDir(name: string): boolean {
  return name === 'node_modules' || name.startsWith('.');
}

/**
 * List files below `root`, the one folder walk every command uses. Symbolic links are followed
 * (a templates folder linked from dotfiles is common) but each real folder is entered once, so a
 * link loop ends. Bounded in depth and entries: a huge or hostile tree yields a warning, not a
 * hang. Special files whose names match (FIFOs, sockets, devices) are never opened, only named in
 * a warning, since reading them could block forever or never end.
 */
export function walkFiles(root: string, options: WalkOptions = {}): WalkResult {
  const match = options.match ?? (() => true);
  const skipDir = options.skipDir ?? defaultSkipDir;
  const maxDepth = options.maxDepth ?? 16;
  const maxEntries = options.maxEntries ?? 20_000;
  const followLinks = options.followLinks ?? true;
  const files: string[] = [];
  const warnings: string[] = [];
  const folders: string[] = [];
  const others: string[] = [];
  const entered = new Set<string>();
  let seen = 0;
  let stopped = false;
  const show = (path: string): string => relative(root, path).split(sep).join('/') || '.';

  const visit = (dir: string, depth: number): void => {
    let real: string;
    try {
      real = realpathSync(dir);
    } catch {
      return;
    }
    if (entered.has(real)) {
      if (depth > 0) warnings.push(`${show(dir)}: skipped, a link to a folder already read (a loop?)`);
      return;
    }
    entered.add(real);
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch (error) {
      warnings.push(`${show(dir)}: cannot list the folder: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      return;
    }
    for (const name of names) {
      if (stopped) return;
      if (++seen > maxEntries) {
        stopped = true;
        warnings.push(`stopped after ${maxEntries} entries below ${root}; lint or load a smaller folder`);
        return;
      }
      const path = join(dir, name);
      let stat: Stats;
      let link: Stats;
      try {
        link = lstatSync(path);
        if (link.isSymbolicLink() && !followLinks) {
          // Listed when it is named like a match, or leads to a folder the walk would enter.
          if (match(name) || (!skipDir(name) && leadsToFolder(path))) others.push(path);
          continue;
        }
        stat = link.isSymbolicLink() ? statSync(path) : link;
      } catch {
        warnings.push(`${show(path)}: skipped, a broken symbolic link`);
        if (match(name)) others.push(path);
        continue;
      }
      if (stat.isDirectory()) {
        if (skipDir(name)) continue;
        if (depth + 1 > maxDepth) {
          warnings.push(`${show(path)}: skipped, deeper than ${maxDepth} folder levels`);
          continue;
        }
        folders.push(path);
        visit(path, depth + 1);
      } else if (match(name)) {
        if (stat.isFile()) files.push(path);
        else {
          warnings.push(`${show(path)}: skipped, not a regular file`);
          others.push(path);
        }
      }
    }
  };

  visit(root, 0);
  return { files: files.sort(), warnings, folders: folders.sort(), others: others.sort() };
}

function leadsToFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

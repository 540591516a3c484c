import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../errors/index.js';
import { linkTarget } from '../fs/link-target.js';
import { fileBytes, type SkillFile } from './skill-files.js';

let counter = 0;

/**
 * The steps of a folder swap, in order. `moved-aside` is the one moment the destination does not
 * exist: between two renames of the same folder, microseconds apart.
 */
export type SwapStep = 'written' | 'moved-aside' | 'moved-in' | 'kept-old';

/** Options of {@link writeFolderAtomic} and {@link removeFolderAtomic}. */
export interface WriteFolderOptions {
  /** Where the folder being replaced goes instead of being deleted (a backup). */
  keepOldAt?: string;
  /** Called after each step; tests use it to end the process between two steps, as a crash would. */
  onStep?: (step: SwapStep) => void;
}

/** Names of the hidden siblings a swap uses; skill loaders skip dot-folders, so neither is ever listed. */
export function swapSiblingPattern(name: string): RegExp {
  return new RegExp(`^\\.${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(new|old)-(\\d+)-\\d+$`);
}

/**
 * Replace the folder `dest` with exactly `files`, so that a reader (Codex scanning its skills)
 * sees the old folder or the new one, never a half-written one. A symbolic link at `dest` is
 * followed: the folder it points to is replaced and the link stays.
 *
 * 1. The files are written into a hidden sibling `.NAME.new-PID-N`; the old folder is untouched.
 * 2. The old folder is renamed to `.NAME.old-PID-N`, and at once the new one is renamed to `dest`.
 *    Without an atomic exchange (Linux has one, `renameat2`, which Node cannot call), this is
 *    the one window where `dest` does not exist: two renames in a row, with no I/O between. A
 *    catchable signal cannot land there (the CLI handles SIGINT and SIGTERM as events, after
 *    this synchronous code); a SIGKILL, a SIGHUP or a power cut can, and the next install,
 *    uninstall or build puts the old folder back (see `src/skill/leftovers.ts`).
 * 3. The old folder is deleted, or moved to `keepOldAt` (copied when that is on another device).
 *
 * @throws {UserError} `install-failed` when the new folder is in place but the old one could not be moved to
 * `keepOldAt`; the message says where it is instead. Other failures leave `dest` as it was.
 */
export function writeFolderAtomic(dest: string, files: readonly SkillFile[], options: WriteFolderOptions = {}): void {
  const target = linkTarget(dest);
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  const stamp = `${process.pid}-${++counter}`;
  const fresh = join(parent, `.${basename(target)}.new-${stamp}`);
  const aside = join(parent, `.${basename(target)}.old-${stamp}`);
  const step = options.onStep ?? (() => {});
  let hadOld = false;
  try {
    mkdirSync(fresh);
    for (const file of files) {
      const path = join(fresh, ...file.path.split('/'));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, fileBytes(file));
      if (file.executable) chmodSync(path, 0o755);
    }
    step('written');
    hadOld = entryExists(target);
    if (hadOld) {
      renameSync(target, aside);
      step('moved-aside');
      try {
        renameSync(fresh, target);
      } catch (error) {
        renameSync(aside, target);
        throw error;
      }
    } else renameSync(fresh, target);
    step('moved-in');
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
  if (hadOld) disposeOld(aside, options.keepOldAt, step);
}

/**
 * Remove a folder so that it disappears at once: rename it away, then delete it (or move it to
 * `keepOldAt`).
 */
export function removeFolderAtomic(dest: string, options: WriteFolderOptions = {}): void {
  const aside = join(dirname(dest), `.${basename(dest)}.old-${process.pid}-${++counter}`);
  renameSync(dest, aside);
  options.onStep?.('moved-aside');
  disposeOld(aside, options.keepOldAt, options.onStep ?? (() => {}));
}

function disposeOld(aside: string, keepAt: string | undefined, step: (step: SwapStep) => void): void {
  if (keepAt === undefined) {
    rmSync(aside, { recursive: true, force: true });
    return;
  }
  try {
    moveFolder(aside, keepAt);
  } catch (error) {
    throw new UserError('install-failed', `the previous folder could not be moved to ${keepAt} (${(error as Error).message.split('\n')[0]}); it is kept at ${aside}`);
  }
  step('kept-old');
}

/**
 * Move a folder, also to another device (copied there first, links kept as links, then removed
 * here). The destination appears complete or not at all.
 */
export function moveFolder(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  if (existsSync(to)) throw Object.assign(new Error(`${to} already exists`), { code: 'EEXIST' });
  try {
    renameSync(from, to);
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
  }
  const partial = `${to}.partial-${process.pid}`;
  try {
    cpSync(from, partial, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true, errorOnExist: true, force: false });
    renameSync(partial, to);
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    throw error;
  }
  rmSync(from, { recursive: true, force: true });
}

/** Whether anything is at `path`, a dangling link included. */
export function entryExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

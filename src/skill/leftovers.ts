import { lstatSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { changesSinceWritten } from './install-state.js';
import { entryExists, moveFolder, swapSiblingPattern } from './write-folder.js';

/** What an interrupted install, uninstall or build left beside a skill folder, and what became of it. */
export interface Leftovers {
  /** The previous folder, moved back into place: an earlier run was killed in the middle of its swap. */
  restored?: string;
  /** Temporary folders and unedited old copies: removed. */
  removed: string[];
  /** Old copies holding changes (or not written by orch-prompt): moved to the backups folder. */
  backedUp: Array<{ from: string; to: string }>;
  /** Left alone: the process that made them is still running. */
  inUse: string[];
}

/** Options of {@link restoreInterrupted} and {@link clearLeftovers}. */
export interface LeftoverOptions {
  /** Work out what would happen and change nothing. */
  dryRun: boolean;
}

interface Sibling {
  path: string;
  kind: 'new' | 'old';
  pid: number;
}

/** The hidden `.NAME.new-*` / `.NAME.old-*` folders beside `target` (see `writeFolderAtomic`). */
function siblings(target: string): Sibling[] {
  const pattern = swapSiblingPattern(basename(target));
  let names: string[];
  try {
    names = readdirSync(dirname(target));
  } catch {
    return [];
  }
  return names.sort().flatMap((name) => {
    const match = pattern.exec(name);
    return match ? [{ path: join(dirname(target), name), kind: match[1] as Sibling['kind'], pid: Number(match[2]) }] : [];
  });
}

/** Whether another process with this id runs (ours runs synchronously, so its own leftovers are stale). */
function running(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * When `target` is missing but an old copy waits beside it, a run was killed between the two
 * renames of its swap: move the newest old copy back, so the skill is there again before
 * anything else is decided. Returns the folder restored (with `dryRun`: that would be).
 */
export function restoreInterrupted(target: string, options: LeftoverOptions): string | undefined {
  if (entryExists(target)) return undefined;
  const olds = siblings(target).filter((s) => s.kind === 'old' && !running(s.pid));
  // A rename updates the folder's change time: the newest is the last one moved aside.
  const newest = olds.map((s) => ({ path: s.path, time: lstatSync(s.path).ctimeMs })).sort((a, b) => b.time - a.time)[0];
  if (!newest) return undefined;
  if (!options.dryRun) renameSync(newest.path, target);
  return newest.path;
}

/**
 * Tidy what killed runs left beside `target`: temporary `.new-*` folders and unedited `.old-*`
 * copies are removed; an old copy holding changes, or one orch-prompt did not write, is moved to
 * `backupPath()`, never deleted; folders of a process still running are left alone.
 */
export function clearLeftovers(target: string, backupPath: () => string, options: LeftoverOptions): Omit<Leftovers, 'restored'> {
  const result: Omit<Leftovers, 'restored'> = { removed: [], backedUp: [], inUse: [] };
  for (const sibling of siblings(target)) {
    if (running(sibling.pid)) {
      result.inUse.push(sibling.path);
      continue;
    }
    const since = sibling.kind === 'old' ? changesSinceWritten(sibling.path) : undefined;
    if (sibling.kind === 'new' || (since && since.changed.length === 0)) {
      if (!options.dryRun) rmSync(sibling.path, { recursive: true, force: true });
      result.removed.push(sibling.path);
    } else {
      const to = backupPath();
      if (!options.dryRun) moveFolder(sibling.path, to);
      result.backedUp.push({ from: sibling.path, to });
    }
  }
  return result;
}

import { closeSync, constants, ftruncate, lstatSync, mkdirSync, open, rmSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { basename, dirname, join } from 'node:path';
import { readTextBounded } from '../../fs/read-bounded.js';

// Inside a run folder no link is followed: a run folder may come from a cloned repository or a
// copy someone made, and a `last-message.md` linked to /etc/passwd would otherwise be read into
// a prompt, an `events.jsonl` linked elsewhere appended to, a worker folder linked elsewhere
// written through.

/** Read a text file of a run folder, bounded, refusing a link (see readTextBounded). */
export function readRunText(path: string, maxBytes: number, what: string): string {
  return readTextBounded(path, { maxBytes, what, noFollow: true });
}

/**
 * Make sure `path` is a real folder (made when missing, its parent must exist): a link, even to
 * a folder, is refused with ENOTDIR, as is a file.
 */
export function ensureRealFolder(path: string): void {
  try {
    mkdirSync(path);
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  if (!lstatSync(path).isDirectory()) {
    throw Object.assign(new Error(`${path} is a link or a file, not a folder`), { code: 'ENOTDIR', path, syscall: 'mkdir' });
  }
}

const logFlags = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW;

/**
 * Open a run folder's log for appending (made when missing, emptied first when `fresh`); a link
 * in its place fails with ELOOP. Off the event loop: creating a file can take milliseconds on a
 * busy disk, and workers start one after another.
 */
export async function openLogForAppend(path: string, fresh: boolean): Promise<number> {
  const fd = await promisify(open)(path, logFlags, 0o644);
  if (fresh) {
    try {
      await promisify(ftruncate)(fd, 0);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }
  return fd;
}

/** Folder names that hold run folders by default (`.orch/runs`). */
const runsParent = ['.orch', 'runs'];

/**
 * When `runDir` sits in a project's `.orch/runs`, keep that folder out of `git status`: a
 * `.gitignore` of its own ignoring everything, as caches do. Run records are the runner's, not
 * the project's; templates in `.orch/templates` stay visible.
 */
export function ignoreRunsFolder(runDir: string): void {
  const parent = dirname(runDir);
  if (basename(parent) !== runsParent[1] || basename(dirname(parent)) !== runsParent[0]) return;
  try {
    writeFileSync(join(parent, '.gitignore'), '# Run records of orch-prompt: not part of the project.\n*\n', { flag: 'wx' });
  } catch {
    // There already, or not writable: the run itself does not depend on it.
  }
}

/** Space set aside in a run folder so that the record can still be written on a full disk. */
export interface SpaceReserve {
  /** Give the space back (once); true when there was any to give. */
  release(): boolean;
}

const reserveBytes = 1024 * 1024;

/**
 * Set 1 MB aside in the run folder (`.reserve`, real blocks, not a sparse file): when the disk
 * fills up while workers write their logs, releasing it lets the manifest say what happened
 * rather than keep `running` with the reasons lost. Best effort: nothing is set aside on a disk
 * that is already full.
 */
export function reserveSpace(runDir: string): SpaceReserve {
  const path = join(runDir, '.reserve');
  let held = false;
  try {
    writeFileSync(path, Buffer.alloc(reserveBytes, 0x2e), { flag: 'w' });
    held = true;
  } catch {
    rmSync(path, { force: true });
  }
  return {
    release() {
      if (!held) return false;
      held = false;
      try {
        rmSync(path, { force: true });
      } catch {
        return false; // the run folder itself is gone: nothing to give back
      }
      return true;
    },
  };
}

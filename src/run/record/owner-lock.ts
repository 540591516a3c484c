import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, linkSync, lstatSync, openSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../errors/index.js';

// One runner at a time owns a run folder, for as long as it runs. Process ids cannot say who
// that is: inside Codex's sandbox every command has a pid namespace of its own (a runner there
// records pid 2), and ids are reused. The kernel can: the owner holds the read end of a FIFO in
// the folder open for its whole life, and the kernel closes it when the owner dies, however it
// dies. Anyone can ask whether a reader is there: opening the FIFO to write without blocking
// succeeds only when one is (ENXIO otherwise). That works across pid namespaces, since the
// FIFO is a file both sides see.

/** The lock's file name inside a run folder. */
export const ownerLockFile = 'runner.lock';

/** A run folder this process owns until {@link OwnerLock.release}. */
export interface OwnerLock {
  release(): void;
}

/** Whether a live runner owns the run folder `runDir` now. */
export function runOwned(runDir: string): boolean {
  return hasReader(join(runDir, ownerLockFile));
}

/**
 * Take the run folder `runDir` (which must exist) for this process. A lock left by a runner that
 * died is taken over.
 *
 * @throws {UserError} `run-still-running` when a live runner owns it; `run-folder-unsafe` when
 * no lock can be made there (no FIFO on this file system).
 */
export function takeRunFolder(runDir: string, where: string): OwnerLock {
  const path = join(runDir, ownerLockFile);
  const mine = join(runDir, `.${ownerLockFile}.${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    execFileSync('mkfifo', ['-m', '600', mine], { stdio: 'ignore' });
  } catch (error) {
    throw new UserError('run-folder-unsafe', `${where}: cannot lock the run folder ${runDir} (mkfifo: ${(error as NodeJS.ErrnoException).code ?? 'failed'}), so another runner could use it at the same time`);
  }
  let fd: number | undefined;
  try {
    // The read end, held open until the run ends; O_NONBLOCK: no writer is needed to open it.
    fd = openSync(mine, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
    const held = fd;
    for (let tries = 0; tries < 3; tries++) {
      try {
        linkSync(mine, path);
        rmSync(mine, { force: true });
        const inode = fstatSync(held).ino;
        return { release: () => release(path, held, inode) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      if (hasReader(path)) break;
      // A dead runner's lock: move it aside, and make sure what was moved was not taken by
      // another runner in the meantime (then it goes back).
      const aside = join(runDir, `.${ownerLockFile}.stale-${randomBytes(4).toString('hex')}`);
      try {
        renameSync(path, aside);
      } catch {
        continue;
      }
      if (hasReader(aside)) {
        try {
          linkSync(aside, path);
        } catch {
          // Someone else holds the name now; either way the folder is owned.
        }
        rmSync(aside, { force: true });
        break;
      }
      rmSync(aside, { force: true });
    }
    throw new UserError('run-still-running', `${where}: run ${runDir} is still running (another orch-prompt owns its folder); wait for it, or stop it first`, { data: { runDir } });
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    rmSync(mine, { force: true });
    throw error;
  }
}

/** Whether a FIFO at `path` has a reader: a runner holding it. A link or any other file is no lock. */
function hasReader(path: string): boolean {
  try {
    if (!lstatSync(path).isFIFO()) return false;
    closeSync(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW));
    return true;
  } catch {
    return false; // ENXIO: no reader; ENOENT: no lock
  }
}

function release(path: string, fd: number, inode: number): void {
  try {
    // Only our own lock is removed: never one another runner took over meanwhile.
    if (lstatSync(path).ino === inode) rmSync(path, { force: true });
  } catch {
    // gone already
  }
  try {
    closeSync(fd);
  } catch {
    // closed already
  }
}

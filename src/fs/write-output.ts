import { accessSync, closeSync, constants, openSync, realpathSync, statSync, writeSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as wait } from 'node:timers/promises';
import { isUserError, UserError } from '../errors/index.js';
import { linkTarget } from './link-target.js';
import { writeFileAtomic } from './write-atomic.js';

/** Why an output file could not be written; stable, for callers that treat the cases apart. */
export type FileWriteKind = 'is-folder' | 'not-writable' | 'bad-path' | 'failed';

/** An output file that cannot be written: one line naming the path (`file-unwritable`, exit 1). */
function fileWriteError(kind: FileWriteKind, path: string, reason: string): UserError {
  return new UserError('file-unwritable', `cannot write \`${path}\`: ${reason}`, { data: { kind, path, reason } });
}

/** Options of {@link writeOutputFile}. */
export interface WriteOutputOptions {
  /** Stops waiting for a FIFO's reader (Ctrl-C), as it stops a shell redirection. */
  signal?: { readonly aborted: boolean; addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void; removeEventListener(type: 'abort', listener: () => void): void };
}

/**
 * Write a file the user named (`-o FILE`, `--out FILE`) the way they expect from a shell
 * redirection, but without ever leaving half a file:
 * - a new path, or a regular file: replaced atomically (a temporary file beside it, then a
 *   rename), keeping the existing file's permission bits (a 600 file stays 600); the folder of
 *   a new path must exist, as for `>` (nothing is created silently);
 * - a symbolic link: followed, and its target written by the same rule (the link stays a link;
 *   a dangling link gets its target created);
 * - a FIFO, a character device (`/dev/stdout`, `/dev/null`) or anything else that is not a
 *   regular file: written into directly, never replaced (a FIFO is waited on until it has a
 *   reader, as with `>`, and the wait ends on `signal`, as Ctrl-C ends a redirection);
 * - a folder: refused.
 *
 * A read-only file is refused as a shell would refuse it, rather than replaced behind its back.
 * A file with several hard links is replaced like any other (the other names keep the old text).
 *
 * @throws {UserError} `file-unwritable` with a one-line message naming `path`.
 */
export async function writeOutputFile(path: string, content: string | Uint8Array, options: WriteOutputOptions = {}): Promise<void> {
  try {
    const found = statIfPresent(path);
    if (found === undefined) writeNew(linkTarget(path), content);
    else if (found.isDirectory()) throw fileWriteError('is-folder', path, 'it is a folder, expected a file');
    else if (!found.isFile()) await writeInto(path, content, options.signal);
    else await replaceRegular(path, found, content, options.signal);
  } catch (error) {
    throw asWriteError(error, path);
  }
}

/** A new file, in a folder that must be there already (a redirection creates no folder). */
function writeNew(path: string, content: string | Uint8Array): void {
  const folder = statIfPresent(dirname(path));
  if (folder === undefined) throw Object.assign(new Error('no such folder'), { code: 'ENOENT' });
  if (!folder.isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
  writeFileAtomic(path, content);
}

function statIfPresent(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function replaceRegular(path: string, found: Stats, content: string | Uint8Array, signal: WriteOutputOptions['signal']): Promise<void> {
  const real = realpathSync(path);
  const same = statIfPresent(real);
  // A path that does not name the file itself (/dev/stdout redirected to a file resolves through
  // /proc to a name that may be gone or reused) is written in place, like any special file.
  if (same === undefined || same.dev !== found.dev || same.ino !== found.ino) {
    await writeInto(path, content, signal);
    return;
  }
  accessSync(real, constants.W_OK);
  writeFileAtomic(real, content, { mode: found.mode & 0o7777 });
}

/**
 * Write into a special file. Opened without blocking, so that the process stays responsive: a
 * FIFO without a reader is tried again every 50 ms, a full pipe every 10 ms, until `signal`.
 */
async function writeInto(path: string, content: string | Uint8Array, signal: WriteOutputOptions['signal']): Promise<void> {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const pause = async (ms: number): Promise<void> => {
    if (signal?.aborted) throw Object.assign(new Error('interrupted'), { code: 'EINTR' });
    await wait(ms, undefined, signal ? { signal: signal as AbortSignal } : {}).catch(() => undefined);
    if (signal?.aborted) throw Object.assign(new Error('interrupted'), { code: 'EINTR' });
  };
  let fd: number | undefined;
  while (fd === undefined) {
    try {
      // No O_CREAT: if the special file vanished meanwhile, fail instead of creating a regular file.
      fd = openSync(path, constants.O_WRONLY | constants.O_TRUNC | constants.O_NONBLOCK);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENXIO' || !statIfPresent(path)?.isFIFO()) throw error;
      await pause(50); // a FIFO with no reader yet
    }
  }
  try {
    let offset = 0;
    while (offset < bytes.length) {
      try {
        offset += writeSync(fd, bytes, offset, bytes.length - offset);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
        await pause(10); // the reader has not caught up
      }
    }
  } finally {
    closeSync(fd);
  }
}

const systemReasons: Record<string, [FileWriteKind, string]> = {
  EISDIR: ['is-folder', 'it is a folder, expected a file'],
  ENOTDIR: ['bad-path', 'part of the path is a file, not a folder'],
  ENOENT: ['bad-path', 'no such file or folder'],
  EINTR: ['failed', 'interrupted while waiting for a reader'],
  ELOOP: ['bad-path', 'too many levels of symbolic links'],
  ENAMETOOLONG: ['bad-path', 'the path is too long'],
  EACCES: ['not-writable', 'permission denied'],
  EPERM: ['not-writable', 'operation not permitted'],
  EROFS: ['not-writable', 'read-only file system'],
  ETXTBSY: ['not-writable', 'the file is a running program'],
  ENXIO: ['not-writable', 'it is a socket or a device with nothing behind it, which cannot be written'],
  EPIPE: ['failed', 'the reading end of the pipe was closed'],
  ENOSPC: ['failed', 'no space left on the device'],
  EDQUOT: ['failed', 'disk quota exceeded'],
  EIO: ['failed', 'input/output error'],
};

function asWriteError(error: unknown, path: string): UserError {
  if (isUserError(error, 'file-unwritable')) return error;
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const [kind, reason] = systemReasons[code] ?? ['failed', (error as Error).message.split('\n')[0] ?? String(error)];
  return fileWriteError(kind, path, reason);
}

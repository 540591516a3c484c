import { accessSync, closeSync, constants, openSync, realpathSync, statSync, writeSync, type Stats } from 'node:fs';
import { isUserError, UserError } from '../errors/index.js';
import { linkTarget } from './link-target.js';
import { writeFileAtomic } from './write-atomic.js';

/** Why an output file could not be written; stable, for callers that treat the cases apart. */
export type FileWriteKind = 'is-folder' | 'not-writable' | 'bad-path' | 'failed';

/** An output file that cannot be written: one line naming the path (`file-unwritable`, exit 1). */
function fileWriteError(kind: FileWriteKind, path: string, reason: string): UserError {
  return new UserError('file-unwritable', `cannot write \`${path}\`: ${reason}`, { data: { kind, path, reason } });
}

/**
 * Write a file the user named (`-o FILE`, `--out FILE`) the way they expect from a shell
 * redirection, but without ever leaving half a file:
 * - a new path, or a regular file: replaced atomically (a temporary file beside it, then a
 *   rename), keeping the existing file's permission bits (a 600 file stays 600); missing parent
 *   folders of a new path are created;
 * - a symbolic link: followed, and its target written by the same rule (the link stays a link;
 *   a dangling link gets its target created);
 * - a FIFO, a character device (`/dev/stdout`, `/dev/null`) or anything else that is not a
 *   regular file: written into directly, never replaced (a FIFO blocks until it has a reader, as
 *   with `>`);
 * - a folder: refused.
 *
 * A read-only file is refused as a shell would refuse it, rather than replaced behind its back.
 * A file with several hard links is replaced like any other (the other names keep the old text).
 *
 * @throws {UserError} `file-unwritable` with a one-line message naming `path`.
 */
export function writeOutputFile(path: string, content: string | Uint8Array): void {
  try {
    const found = statIfPresent(path);
    if (found === undefined) writeFileAtomic(linkTarget(path), content);
    else if (found.isDirectory()) throw fileWriteError('is-folder', path, 'it is a folder, expected a file');
    else if (!found.isFile()) writeInto(path, content);
    else replaceRegular(path, found, content);
  } catch (error) {
    throw asWriteError(error, path);
  }
}

function statIfPresent(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function replaceRegular(path: string, found: Stats, content: string | Uint8Array): void {
  const real = realpathSync(path);
  const same = statIfPresent(real);
  // A path that does not name the file itself (/dev/stdout redirected to a file resolves through
  // /proc to a name that may be gone or reused) is written in place, like any special file.
  if (same === undefined || same.dev !== found.dev || same.ino !== found.ino) {
    writeInto(path, content);
    return;
  }
  accessSync(real, constants.W_OK);
  writeFileAtomic(real, content, { mode: found.mode & 0o7777 });
}

function writeInto(path: string, content: string | Uint8Array): void {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  // No O_CREAT: if the special file vanished meanwhile, fail instead of creating a regular file.
  const fd = openSync(path, constants.O_WRONLY | constants.O_TRUNC);
  try {
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
  } finally {
    closeSync(fd);
  }
}

const systemReasons: Record<string, [FileWriteKind, string]> = {
  EISDIR: ['is-folder', 'it is a folder, expected a file'],
  ENOTDIR: ['bad-path', 'part of the path is a file, not a folder'],
  ENOENT: ['bad-path', 'no such file or folder'],
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

import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { isUserError, UserError } from '../errors/index.js';

/** Why a file could not be read; stable, for callers that treat the cases apart. */
export type FileReadKind = 'not-found' | 'not-regular' | 'too-large' | 'not-utf8' | 'binary' | 'unreadable';

/** The data of a `file-unreadable` {@link UserError}: what went wrong, with the path. */
export interface FileReadFailure {
  kind: FileReadKind;
  path: string;
  /** The reason alone, without the path (for messages that name the file their own way). */
  reason: string;
  /** For `not-utf8`: where the first bad byte is (1-based). */
  place?: { line: number; column: number };
}

/** A file that cannot be read within the limits: `cannot read `path`: reason`, exit 1. */
export function fileReadError(kind: FileReadKind, path: string, reason: string, place?: { line: number; column: number }): UserError {
  const data: FileReadFailure = { kind, path, reason, ...(place ? { place } : {}) };
  return new UserError('file-unreadable', `cannot read \`${path}\`: ${reason}`, { data: { ...data } });
}

/** What a bounded read failed on, when `error` is such a failure; otherwise undefined (rethrow it). */
export function fileReadFailure(error: unknown): FileReadFailure | undefined {
  return isUserError(error, 'file-unreadable') && error.data !== undefined ? (error.data as unknown as FileReadFailure) : undefined;
}

/** Options of {@link readFileBounded} and {@link readTextBounded}. */
export interface ReadBoundedOptions {
  /** Refuse files larger than this (bytes). */
  maxBytes: number;
  /** What the file is, for the size message: `a template`, `a context pack`. Default `a file`. */
  what?: string;
  /**
   * Refuse a symbolic link instead of following it (`not-regular`): for files in a folder that
   * someone else may have written, such as a run folder.
   */
  noFollow?: boolean;
}

// O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting forever; it is
// then refused as not a regular file. It changes nothing for regular files.
const openFlags = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * Read a regular file's bytes, at most `maxBytes`. Symbolic links are followed (the target must
 * be a regular file) unless `noFollow`; a folder, FIFO, socket or device is refused without reading from it, so
 * `/dev/zero` or a FIFO can neither exhaust memory nor block.
 *
 * @throws {UserError} `file-unreadable` `not-found`, `not-regular`, `too-large` or `unreadable`.
 */
export function readFileBounded(path: string, options: ReadBoundedOptions): Buffer {
  let fd: number;
  try {
    fd = openSync(path, openFlags | (options.noFollow ? constants.O_NOFOLLOW : 0));
  } catch (error) {
    if (options.noFollow && (error as NodeJS.ErrnoException).code === 'ELOOP') throw fileReadError('not-regular', path, 'it is a symbolic link, which is not followed here');
    throw fromSystem(error, path);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw fileReadError('not-regular', path, `it is ${describeKind(stat)}, expected a regular file`);
    if (stat.size > options.maxBytes) throw tooLarge(path, stat.size, options);
    // The size may change while reading (or lie, as in /proc): read in chunks, and stop one byte
    // past the limit.
    const chunks: Buffer[] = [];
    let length = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(64 * 1024, options.maxBytes + 1 - length));
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      chunks.push(chunk.subarray(0, read));
      length += read;
      if (length > options.maxBytes) throw tooLarge(path, length, options);
    }
    return Buffer.concat(chunks, length);
  } catch (error) {
    if (fileReadFailure(error)) throw error;
    throw fromSystem(error, path);
  } finally {
    closeSync(fd);
  }
}

/**
 * Read a regular file as UTF-8 text within `maxBytes` (see {@link readFileBounded}). A leading
 * byte-order mark is kept: callers that parse positions handle it once, in one place.
 *
 * @throws {UserError} `file-unreadable` as {@link readFileBounded}, plus `binary` (NUL bytes) and `not-utf8`.
 */
export function readTextBounded(path: string, options: ReadBoundedOptions): string {
  return decodeText(readFileBounded(path, options), path);
}

/**
 * Decode bytes as strict UTF-8 text.
 *
 * @throws {UserError} `file-unreadable` `binary` when the start holds NUL bytes, `not-utf8` (with the place of
 * the first bad byte) when the bytes are not UTF-8.
 */
export function decodeText(bytes: Uint8Array, path: string): string {
  if (bytes.subarray(0, 8000).includes(0)) throw fileReadError('binary', path, 'binary file (it holds NUL bytes), expected text');
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw fileReadError('not-utf8', path, 'not valid UTF-8, expected a UTF-8 text file', firstInvalid(bytes));
  }
}

/** A size for messages: `5.0 MB`, `12 KB`, `300 bytes`. */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

function tooLarge(path: string, size: number, options: ReadBoundedOptions): UserError {
  const limit = formatSize(options.maxBytes);
  const what = options.what ?? 'a file';
  // Reading stops one byte past the limit, so then the true size is unknown.
  const reason = size > options.maxBytes + 1 ? `it is ${formatSize(size)}, over the ${limit} ${what} may have` : `it is larger than the ${limit} ${what} may have`;
  return fileReadError('too-large', path, reason);
}

function describeKind(stat: Stats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

const systemReasons: Record<string, [FileReadKind, string]> = {
  ENOENT: ['not-found', 'no such file'],
  ENOTDIR: ['not-found', 'part of the path is a file, not a folder'],
  EISDIR: ['not-regular', 'it is a folder, expected a regular file'],
  EACCES: ['unreadable', 'permission denied'],
  EPERM: ['unreadable', 'operation not permitted'],
  ELOOP: ['unreadable', 'too many levels of symbolic links'],
  ENAMETOOLONG: ['unreadable', 'the path is too long'],
};

function fromSystem(error: unknown, path: string): UserError {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const [kind, reason] = systemReasons[code] ?? ['unreadable', (error as Error).message.split('\n')[0] ?? String(error)];
  return fileReadError(kind, path, reason);
}

/** Where the first byte that is not valid UTF-8 sits (line and character column). */
function firstInvalid(bytes: Uint8Array): { line: number; column: number } {
  const lossy = new TextDecoder('utf-8').decode(bytes);
  let line = 1;
  let column = 1;
  let byte = 0;
  for (const char of lossy) {
    const size = Buffer.byteLength(char);
    if (char === '\ufffd' && !(bytes[byte] === 0xef && bytes[byte + 1] === 0xbf && bytes[byte + 2] === 0xbd)) return { line, column };
    // A replacement character stands for 1-3 invalid bytes; skipping 1 keeps lines right (newlines are ASCII).
    byte += char === '\ufffd' ? 1 : size;
    if (char === '\n') {
      line++;
      column = 1;
    } else column += char.length;
  }
  return { line, column };
}

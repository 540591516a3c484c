const reasons: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EIO: 'input/output error',
  EFBIG: 'file too large',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'no such file or folder',
  ENOTDIR: 'part of the path is a file, not a folder',
  EISDIR: 'it is a folder',
  ELOOP: 'it is a symbolic link, which is not followed in a run folder',
};

/** A failed write as one line: `cannot write <path>: no space left on the device`. */
export function diskErrorMessage(error: unknown, path: string): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason = (code !== undefined ? reasons[code] : undefined) ?? (error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error));
  return `cannot write ${path}: ${reason}`;
}

/** Whether a failed write ran out of space (a full disk or a quota). */
export function isDiskFull(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

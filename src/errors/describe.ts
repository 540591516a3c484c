import { isUserError } from './user-error.js';

/** A failure as every front end shows it: a stable code, one line, the data, the exit status. */
export interface DescribedError {
  /** A catalog code, `system` for a file-system failure naming a path, `internal` for a bug. */
  code: string;
  message: string;
  data: Readonly<Record<string, unknown>> | undefined;
  exit: number;
}

/**
 * What a failure is, for the CLI's one line (or JSON) and the MCP server's tool error alike: a
 * {@link UserError} keeps its catalog code and status; a file-system error naming a path (EACCES,
 * ENOSPC, ...) is `system`, exit 1; anything else is a bug, `internal`, exit 1.
 */
export function describeError(error: unknown): DescribedError {
  if (isUserError(error)) return { code: error.code, message: error.message, data: error.data, exit: error.exitCode };
  const system = systemErrorMessage(error);
  if (system !== undefined) return { code: 'system', message: system.message, data: { errno: system.errno, path: system.path }, exit: 1 };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message: `internal error: ${message.split('\n')[0]}`, data: undefined, exit: 1 };
}

const systemReasons: Record<string, string> = {
  EISDIR: 'it is a folder',
  ENOTDIR: 'part of the path is a file, not a folder',
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on the device',
  EROFS: 'read-only file system',
  EEXIST: 'it already exists',
  ENAMETOOLONG: 'the path is too long',
  ELOOP: 'too many levels of symbolic links',
  EDQUOT: 'disk quota exceeded',
};

/** A file-system failure (EISDIR, EACCES, ...) in one line naming the path, not a bug report. */
function systemErrorMessage(error: unknown): { message: string; errno: string; path: string } | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, path, syscall } = error as NodeJS.ErrnoException;
  if (code === undefined || path === undefined || !(code in systemReasons)) return undefined;
  const verb = syscall === 'write' || syscall === 'open' || syscall === 'rename' || syscall === 'mkdir' ? 'write' : 'read';
  return { message: `cannot ${verb} \`${path}\`: ${systemReasons[code]}`, errno: code, path };
}

import { type ErrorCode, errorCatalog } from './catalog.js';

/**
 * The one error type for failures a user should read (not bugs): a stable `code` from the
 * catalog, a one-line message that says what was found and what was expected, optional `data`
 * for machine-readable output (the file, the place, the closest names), and the exit status the
 * catalog gives the code. The CLI renders it in one place (`src/cli/report-error.ts`); library
 * callers match on `code`.
 */
export class UserError extends Error {
  override name = 'UserError';
  readonly code: ErrorCode;
  readonly data: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message: string, options?: { data?: Record<string, unknown>; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.data = options?.data;
  }

  /** The process exit status for this error: 2 for usage errors, 1 for failures of the work. */
  get exitCode(): 1 | 2 {
    return errorCatalog[this.code].exit;
  }
}

/** Whether `error` is a {@link UserError}, optionally with one of the given codes. */
export function isUserError(error: unknown, ...codes: ErrorCode[]): error is UserError {
  return error instanceof UserError && (codes.length === 0 || codes.includes(error.code));
}

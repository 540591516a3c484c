/** Stable codes of {@link RunError}. */
export type RunErrorCode =
  /** The plan file cannot be read or breaks the plan format. */
  | 'plan-invalid'
  /** A worker cannot be built: unknown lens, missing parameter, two writers on one path, ... */
  | 'worker-invalid'
  /** `--run-dir` already holds a run. */
  | 'run-dir-taken'
  /** `--resume`: no manifest, or one that cannot be trusted. */
  | 'manifest-invalid'
  /** `--resume`: the run's runner still runs. */
  | 'run-still-running';

/**
 * A run that cannot start as asked; nothing ran. One type for every such case, with a stable
 * `code` and a one-line message that names the file and the place.
 */
export class RunError extends Error {
  override name = 'RunError';
  readonly code: RunErrorCode;

  constructor(code: RunErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

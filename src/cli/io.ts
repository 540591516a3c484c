/** Something text can be written to: a terminal, a file or a test buffer. */
export interface Output {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Everything a command may touch outside itself; tests pass their own. */
export interface CliIo {
  stdout: Output;
  stderr: Output;
  /** Standard input, for commands that read it. */
  stdin?: NodeJS.ReadableStream;
  /** Folder relative paths resolve against. */
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Aborted on Ctrl-C / SIGTERM; long commands stop their work when it fires. */
  signal?: AbortSignal;
}

/** Whether colour may be used on an output (a TTY, and `NO_COLOR` unset). */
export function useColor(out: Output, env: CliIo['env']): boolean {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  if (env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '0') return true;
  return out.isTTY === true;
}

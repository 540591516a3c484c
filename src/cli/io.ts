/** Something text can be written to: a terminal, a file or a test buffer. */
export interface Output {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** The part of an `AbortSignal` that commands use. */
export interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/**
 * The platform's `AbortSignal` where one is declared (Node's typings, the DOM library), else
 * {@link AbortSignalLike}: the published typings must compile for a consumer without
 * `@types/node`, and must not make one install it (a second copy of Node's globals clashes).
 */
export type CliAbortSignal = typeof globalThis extends { AbortSignal: { prototype: infer Signal } } ? Signal : AbortSignalLike;

/** Everything a command may touch outside itself; tests pass their own. */
export interface CliIo {
  stdout: Output;
  stderr: Output;
  /** Folder relative paths resolve against. */
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Aborted on Ctrl-C / SIGTERM; long commands stop their work when it fires. */
  signal?: CliAbortSignal;
  /**
   * Run `hook` on a second Ctrl-C / SIGTERM (end what still runs at once) instead of the process
   * ending there; returns what unregisters it.
   */
  onKill?(hook: () => void): () => void;
  /**
   * Run `hook` (synchronously) if the process exits while it is registered (an uncaught error),
   * so that nothing a command started outlives it; returns what unregisters it.
   */
  onExit?(hook: () => void): () => void;
}

/** Whether colour may be used on an output (a TTY, and `NO_COLOR` unset). */
export function useColor(out: Output, env: CliIo['env']): boolean {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  if (env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '0') return true;
  return out.isTTY === true;
}

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';

/** The package's bin, as npm links it. */
export const binPath = fileURLToPath(new URL('../../bin/orch-prompt.cjs', import.meta.url));

/** What a CLI run produced. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** The signal that ended the process, if one did (a kill after `timeoutMs`, an out-of-memory abort). */
  signal?: string;
}

/** The single-file CLI the skill ships as `scripts/orch-prompt.mjs` (built by the global setup). */
export const skillScriptPath = fileURLToPath(new URL('../../dist/orch-prompt.mjs', import.meta.url));

/** Options of {@link runCli}. */
export interface RunCliOptions {
  cwd?: string;
  /** Over the environment of the tests; `undefined` takes a variable away. */
  env?: Record<string, string | undefined>;
  input?: string;
  /** The script to run (default: the package's bin; {@link skillScriptPath} for the skill's). */
  script?: string;
  /** Options for node itself, before the script (`--max-old-space-size=64`). */
  nodeArgs?: readonly string[];
  /**
   * Kill the process after this long (default 120 s): a synchronous spawn blocks the test's own
   * timeout, so a hang must end here (the result then has code -1 and the signal).
   */
  timeoutMs?: number;
  /** The signal sent after `timeoutMs` (default SIGTERM; SIGKILL for a process that may be stuck in a blocking system call, which defers every handled signal). */
  killSignal?: NodeJS.Signals;
}

/** Run the real CLI as a process (NO_COLOR set, no TTY). */
export function runCli(args: readonly string[], options: RunCliOptions = {}): CliResult {
  const result = spawnSync(process.execPath, [...(options.nodeArgs ?? []), options.script ?? binPath, ...args], {
    cwd: options.cwd ?? process.cwd(),
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    input: options.input ?? '',
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: options.timeoutMs ?? 120_000,
    ...(options.killSignal ? { killSignal: options.killSignal } : {}),
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr, ...(result.signal ? { signal: result.signal } : {}) };
}

/** Run `main` in-process with buffered output (fast; for many small cases). */
export async function runMain(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    cwd: options.cwd ?? process.cwd(),
    // The user's state folder (the key that seals run records) is the test run's own.
    env: { NO_COLOR: '1', ...(process.env['XDG_STATE_HOME'] ? { XDG_STATE_HOME: process.env['XDG_STATE_HOME'] } : {}), ...options.env },
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

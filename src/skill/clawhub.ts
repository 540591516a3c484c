import { execa } from 'execa';
import { isUserError, UserError } from '../errors/index.js';
import { terminalSafe } from '../text/terminal.js';
import type { DoctorCheck } from './doctor-check.js';
import { findOnPath, isExecutableFile } from '../fs/find-on-path.js';

/** How to get the ClawHub CLI, for every message that says it is missing. */
export const clawhubInstallHint = 'install it with `npm install -g clawhub`, or set CLAWHUB_BIN to its path';

/** Where the ClawHub CLI was found. */
export interface ClawhubLocation {
  path: string;
  /** `CLAWHUB_BIN` when that variable named it, else `PATH`. */
  source: 'CLAWHUB_BIN' | 'PATH';
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Find the `clawhub` CLI: the file `CLAWHUB_BIN` names, else `clawhub` on `PATH`. `undefined`
 * when neither exists.
 *
 * @throws {UserError} `publish-failed` when `CLAWHUB_BIN` is set to something that is not an executable file
 * (a typo there must not silently fall back to another clawhub).
 */
export function findClawhub(env: Env): ClawhubLocation | undefined {
  const fromEnv = env['CLAWHUB_BIN'];
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!isExecutableFile(fromEnv)) throw new UserError('publish-failed', `CLAWHUB_BIN is \`${fromEnv}\`, which is not an executable file; point it at the clawhub CLI, or unset it to use clawhub on PATH`);
    return { path: fromEnv, source: 'CLAWHUB_BIN' };
  }
  const onPath = findOnPath('clawhub', env);
  return onPath === undefined ? undefined : { path: onPath, source: 'PATH' };
}

/** What one `clawhub` run returned. */
export interface ClawhubRun {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  /** Set when it did not finish: timed out, cancelled, or could not start. */
  failure: string | undefined;
}

/** Options of {@link runClawhub}. */
export interface RunClawhubOptions {
  env: Env;
  /** Kill it after this many milliseconds (default: no limit). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Run the clawhub CLI with an argument array (no shell), the given environment only, no input
 * (`--no-input` is the caller's to pass), and its output captured. Never throws for a failing
 * run: the result says what happened.
 */
export async function runClawhub(bin: string, args: readonly string[], options: RunClawhubOptions): Promise<ClawhubRun> {
  const result = await execa(bin, args, {
    env: { ...options.env },
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    stripFinalNewline: false,
    maxBuffer: 16 * 1024 * 1024,
    ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
    ...(options.signal === undefined ? {} : { cancelSignal: options.signal }),
  });
  const failure = result.timedOut ? `timed out after ${Math.round((options.timeoutMs ?? 0) / 1000)} s` : result.isCanceled ? 'cancelled' : result.exitCode === undefined ? result.shortMessage : undefined;
  return { exitCode: result.exitCode, stdout: String(result.stdout ?? ''), stderr: String(result.stderr ?? ''), failure };
}

/**
 * The line that explains a failed clawhub run: its `Error: ...` line when it printed one (the
 * label dropped), else its last line of output. One line, safe for a terminal.
 */
export function clawhubError(run: ClawhubRun): string {
  if (run.failure !== undefined) return run.failure;
  const lines = `${run.stderr}\n${run.stdout}`.split('\n').map((line) => line.trim()).filter(Boolean);
  const error = lines.find((line) => line.startsWith('Error:'));
  const line = error === undefined ? (lines.at(-1) ?? `exit code ${run.exitCode ?? 'unknown'}, no output`) : error.slice('Error:'.length).trim();
  return terminalSafe(line, { singleLine: true });
}

// Doctor waits this long for each clawhub command: `whoami` asks the registry, and clawhub is a
// large Node program that takes seconds to start on a loaded machine.
const doctorTimeoutMs = 60_000;

/**
 * Doctor's view of the ClawHub CLI, needed only by `orch-prompt publish`: whether it is there
 * (its version) and logged in (`clawhub whoami`, which prints the account handle, never the
 * token). Missing or logged out is reported but is not a problem for Codex itself; a
 * `CLAWHUB_BIN` that points nowhere, or a clawhub that does not run, is.
 */
export async function clawhubCheck(env: Env): Promise<DoctorCheck> {
  let found: ClawhubLocation | undefined;
  try {
    found = findClawhub(env);
  } catch (error) {
    if (!isUserError(error, 'publish-failed')) throw error;
    return { id: 'clawhub', ok: false, message: error.message, fix: 'unset CLAWHUB_BIN, or set it to the clawhub executable' };
  }
  if (!found) return { id: 'clawhub', ok: true, message: `clawhub not found (needed only for \`orch-prompt publish\`: ${clawhubInstallHint})` };
  const [version, whoami] = await Promise.all([
    runClawhub(found.path, ['--cli-version'], { env, timeoutMs: doctorTimeoutMs }),
    runClawhub(found.path, ['--no-input', 'whoami'], { env, timeoutMs: doctorTimeoutMs }),
  ]);
  const where = terminalSafe(found.path, { singleLine: true });
  if (version.exitCode !== 0) {
    return { id: 'clawhub', ok: false, message: `${where} --cli-version failed: ${clawhubError(version)}`, fix: 'reinstall it: npm install -g clawhub' };
  }
  const name = `clawhub ${terminalSafe(version.stdout.trim(), { singleLine: true })} (${where})`;
  if (whoami.exitCode === 0) {
    const handle = terminalSafe(whoami.stdout.trim().split('\n').at(-1) ?? '', { singleLine: true });
    return { id: 'clawhub', ok: true, message: `${name}, logged in as ${handle}` };
  }
  const reason = clawhubError(whoami);
  if (/not logged in/i.test(reason)) return { id: 'clawhub', ok: true, message: `${name}, not logged in (run \`clawhub login\` before \`orch-prompt publish\`)` };
  return { id: 'clawhub', ok: true, message: `${name}; could not check the login: ${reason}` };
}

import { execa } from 'execa';

/** How one `codex cloud ...` call ended. */
export interface CloudCall {
  /** null when it did not run to an exit (not found, canceled, timed out). */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** Why it did not run to an exit, else null. */
  failure: string | null;
}

/** Options of {@link runCloud}. */
export interface RunCloudOptions {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Written to stdin (`codex cloud exec ... -`); stdin is empty otherwise. */
  input?: string;
  signal?: AbortSignal;
  /** One call never takes longer than this. */
  timeoutMs: number;
  /** Output larger than this is an error (a diff is the largest thing read). */
  maxBytes: number;
}

/**
 * Run `codex cloud ARGS` once (execa, argument array, no shell). Never throws: a missing codex,
 * a cancel or a hang is a `failure` with the reason.
 */
export async function runCloud(codexBin: string, args: readonly string[], options: RunCloudOptions): Promise<CloudCall> {
  const result = await execa(codexBin, ['cloud', ...args], {
    cwd: options.cwd,
    env: { ...options.env },
    extendEnv: false,
    input: options.input ?? '',
    reject: false,
    timeout: options.timeoutMs,
    maxBuffer: options.maxBytes,
    stripFinalNewline: false,
    ...(options.signal ? { cancelSignal: options.signal } : {}),
  });
  const stdout = typeof result.stdout === 'string' ? result.stdout : '';
  const stderr = typeof result.stderr === 'string' ? result.stderr : '';
  let failure: string | null = null;
  if (result.isCanceled) failure = 'canceled';
  else if (result.timedOut) failure = `\`codex cloud ${args[0] ?? ''}\` did not answer within ${Math.round(options.timeoutMs / 1000)} s`;
  else if (result.isMaxBuffer) failure = `\`codex cloud ${args[0] ?? ''}\` printed more than ${options.maxBytes} bytes`;
  else if (result.exitCode === undefined) failure = result.code === 'ENOENT' ? `cannot run \`${codexBin}\`: not found (install @openai/codex, or set CODEX_BIN / --set codex-bin=PATH)` : (result.shortMessage ?? `cannot run \`${codexBin}\``);
  return { exitCode: result.exitCode ?? null, stdout, stderr, failure };
}

/** The reason a call failed, in one line: its `Error: ...` line, else the last lines of stderr. */
export function cloudError(call: CloudCall): string {
  if (call.failure !== null) return call.failure;
  const lines = plain(call.stderr)
    .split('\n')
    .map((line) => line.trim())
    // Codex's notice about helper binaries under a temporary CODEX_HOME says nothing about the call.
    .filter((line) => line !== '' && !line.startsWith('WARNING: proceeding') && !/^\d+: /.test(line) && line !== 'Stack backtrace:');
  const error = lines.find((line) => line.startsWith('Error: '));
  if (error !== undefined) return error.slice('Error: '.length);
  if (lines.length > 0) return lines.slice(-2).join(' | ');
  const out = plain(call.stdout).trim();
  return out !== '' ? (out.split('\n').at(-1) as string) : `exit code ${String(call.exitCode)}`;
}

/** Text without colour escapes (codex colours its output on a terminal only, but be sure). */
export function plain(text: string): string {
  return text.replace(/\x1b\[[0-9;]*m/g, '');
}

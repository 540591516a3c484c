import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { execa } from 'execa';
import { EventTap } from './event-tap.js';
import { applyEvent, initialEventState, type EventState } from './events.js';
import { signalTree } from './process-tree.js';

/** Options of {@link spawnWorker}. */
export interface SpawnOptions {
  file: string;
  args: readonly string[];
  prompt: string;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  eventsPath: string;
  stderrPath: string;
  /** Append to the events and stderr files (a later attempt), after these marker lines. */
  continuation?: { events: string; stderr: string };
  /** Ends the worker's tree after this many ms (0: never). */
  timeoutMs: number;
  /** Time between SIGTERM and SIGKILL when stopping a worker. */
  graceMs: number;
  /** Stops the worker: SIGTERM, then SIGKILL after `graceMs`. */
  signal?: AbortSignal;
  /** Ends the worker's tree at once with SIGKILL (a second Ctrl-C). */
  killSignal?: AbortSignal;
  onSpawn?(pid: number): void;
  /** Called after each event; `important` says whether the manifest should be rewritten. */
  onEvent?(state: EventState, important: boolean): void;
}

/** How one attempt ended; a failure has the same shape as a success. */
export interface AttemptResult {
  outcome: 'succeeded' | 'failed' | 'timed-out' | 'canceled';
  exitCode: number | null;
  error: string | null;
  /** Whether a retry may help (a model or stream error, not a usage error or a timeout). */
  transient: boolean;
  state: EventState;
  durationMs: number;
}

const stderrTailBytes = 4096;
// Codex reports an HTTP 5xx from the model as "high demand ... temporary errors".
const transientPattern = /high demand|temporary error|stream disconnected|stream error|error sending request|connection (?:reset|refused|closed)|internal server error|bad gateway|service unavailable|gateway timeout|overloaded|rate limit|too many requests|\b(?:429|5\d\d)\b|timed? ?out waiting/i;

/**
 * Run one `codex exec` attempt: prompt on stdin, events streamed line by line into
 * `eventsPath` (and folded into an {@link EventState} on the way), stderr into `stderrPath`.
 * The worker is started as a process-group leader so that a timeout or a cancel can end its
 * whole tree: SIGTERM first, SIGKILL after `graceMs`.
 */
export async function spawnWorker(options: SpawnOptions): Promise<AttemptResult> {
  const state = initialEventState();
  const started = Date.now();
  if (options.signal?.aborted) return { outcome: 'canceled', exitCode: null, error: 'canceled before start', transient: false, state, durationMs: 0 };

  const child = execa(options.file, options.args, {
    input: options.prompt,
    cwd: options.cwd,
    env: options.env,
    extendEnv: false,
    detached: true,
    buffer: false,
    reject: false,
    stdout: 'pipe',
    stderr: 'pipe',
    stripFinalNewline: false,
  });
  const pid = child.pid;
  if (pid !== undefined) options.onSpawn?.(pid);

  let stderrTail = '';
  const tail = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      stderrTail = (stderrTail + chunk.toString('utf8')).slice(-stderrTailBytes);
      callback(null, chunk);
    },
  });
  const flags = options.continuation ? 'a' : 'w';
  const eventsFile = createWriteStream(options.eventsPath, { flags });
  const stderrFile = createWriteStream(options.stderrPath, { flags });
  if (options.continuation) {
    eventsFile.write(options.continuation.events);
    stderrFile.write(options.continuation.stderr);
  }
  const events = pipeline(child.stdout, new EventTap((event) => options.onEvent?.(state, applyEvent(state, event))), eventsFile);
  const stderr = pipeline(child.stderr, tail, stderrFile);

  let stopping: 'timed-out' | 'canceled' | null = null;
  let forceTimer: NodeJS.Timeout | undefined;
  let seen: number[] = [];
  const stop = (why: 'timed-out' | 'canceled'): void => {
    if (stopping !== null || pid === undefined) return;
    stopping = why;
    seen = signalTree(pid, 'SIGTERM');
    forceTimer = setTimeout(() => {
      seen = signalTree(pid, 'SIGKILL', seen);
    }, options.graceMs);
  };
  const timer = options.timeoutMs > 0 ? setTimeout(() => stop('timed-out'), options.timeoutMs) : undefined;
  const onAbort = (): void => stop('canceled');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const onKill = (): void => {
    stop('canceled');
    if (pid !== undefined) seen = signalTree(pid, 'SIGKILL', seen);
  };
  if (options.killSignal?.aborted) onKill();
  else options.killSignal?.addEventListener('abort', onKill, { once: true });

  const result = await child;
  clearTimeout(timer);
  clearTimeout(forceTimer);
  options.signal?.removeEventListener('abort', onAbort);
  options.killSignal?.removeEventListener('abort', onKill);
  // Whatever the worker left in its group (or we saw in its tree) must not outlive it.
  if (pid !== undefined) signalTree(pid, 'SIGKILL', seen);
  await Promise.allSettled([events, stderr]);

  const durationMs = Date.now() - started;
  const exitCode = typeof result.exitCode === 'number' ? result.exitCode : null;
  if (stopping === 'timed-out') {
    // The last error event says why it hung, e.g. Codex waiting for a model that went away.
    const last = state.error === null ? '' : ` (last error: ${state.error})`;
    return { outcome: 'timed-out', exitCode, error: `timed out after ${Math.round(options.timeoutMs / 100) / 10} s${last}`, transient: false, state, durationMs };
  }
  if (stopping === 'canceled') return { outcome: 'canceled', exitCode, error: 'canceled', transient: false, state, durationMs };
  if (result.failed && exitCode === null && result.signal === undefined) {
    // Could not start: a missing or non-executable codex binary.
    const message = result.code === 'ENOENT' ? `cannot run \`${options.file}\`: not found (install @openai/codex, or pass --codex-bin / set CODEX_BIN)` : (result.shortMessage ?? `cannot run \`${options.file}\``);
    return { outcome: 'failed', exitCode, error: message, transient: false, state, durationMs };
  }
  if (exitCode === 0 && !state.turnFailed) return { outcome: 'succeeded', exitCode, error: null, transient: false, state, durationMs };
  const error = state.error ?? lastLines(stderrTail) ?? (result.signal ? `killed by ${result.signal}` : `exit code ${String(exitCode)}`);
  return { outcome: 'failed', exitCode, error, transient: transientPattern.test(error), state, durationMs };
}

function lastLines(text: string): string | null {
  const lines = text.replace(/\x1b\[[0-9;]*m/g, '').split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.length > 0 ? lines.slice(-3).join(' | ') : null;
}

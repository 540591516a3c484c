import { closeSync, createWriteStream, ftruncateSync, type WriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { execa } from 'execa';
import { diskErrorMessage } from '../record/disk-error.js';
import { openLogForAppend } from '../record/run-files.js';
import { EventTap } from './event-tap.js';
import { formatDuration } from '../settings/duration.js';
import { guardViolation, type GuardViolation } from './guard.js';
import { applyEvent, initialEventState, isProgress, type EventState } from './events.js';
import { signalTree, workerMarkVariable } from './process-tree.js';

/** Options of {@link spawnWorker}. */
export interface SpawnOptions {
  file: string;
  args: readonly string[];
  prompt: string;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /**
   * Marks every process of this worker (an environment variable its descendants inherit), so
   * that one that escaped its session can still be found and ended.
   */
  mark: string;
  eventsPath: string;
  stderrPath: string;
  /** Append to the events and stderr files (a later attempt), after these marker lines. */
  continuation?: { events: string; stderr: string };
  /** Ends the worker's tree after this many ms (0: never). */
  timeoutMs: number;
  /**
   * Ends the worker when it shows no progress for this many ms (0: never): no event but Codex's
   * reconnect notices, while no command or tool call runs. The model is then out of reach.
   */
  watchdogMs: number;
  /** Time between SIGTERM and SIGKILL when stopping a worker. */
  graceMs: number;
  /** The model endpoint the worker uses, for messages (`http://host/v1`), when it is known. */
  endpoint?: string;
  /** Stops the worker: SIGTERM, then SIGKILL after `graceMs`. */
  signal?: AbortSignal;
  /** Ends the worker's tree at once with SIGKILL (a second Ctrl-C). */
  killSignal?: AbortSignal;
  /** The worker's role edits files (else a file change is a guard violation). */
  edits: boolean;
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
  /** What the worker did that workers must not do (the first one ended it). */
  violations: GuardViolation[];
  /** The model the attempt actually ran, when its executor could tell (a local worker's rollout). */
  modelUsed?: string;
  /** Codex could not reach the model endpoint at all (only reconnect notices): other workers would not either. */
  unreachable?: boolean;
}

const stderrTailBytes = 4096;
/** How long codex may show nothing but reconnect notices before its model counts as out of reach. */
export const reconnectLimitMs = 30_000;
/**
 * After the worker's process has exited, how long its output may still drain. Only a process
 * that escaped the worker's tree and its mark can hold the pipes longer; then reading stops.
 */
const drainMs = 2000;
// Codex reports an HTTP 5xx from the model as "high demand ... temporary errors".
const transientPattern = /high demand|temporary error|stream disconnected|stream error|error sending request|connection (?:reset|refused|closed)|internal server error|bad gateway|service unavailable|gateway timeout|overloaded|rate limit|too many requests|\b(?:429|5\d\d)\b|timed? ?out waiting/i;

/** Why a worker is being stopped; the first reason wins. */
type StopReason = { outcome: 'timed-out' | 'canceled' } | { outcome: 'failed'; error: string; transient: boolean; unreachable?: boolean };

/**
 * Run one `codex exec` attempt: prompt on stdin, events streamed line by line into
 * `eventsPath` (and folded into an {@link EventState} on the way), stderr into `stderrPath`.
 * The worker is started as a process-group leader so that a timeout or a cancel can end its
 * whole tree: SIGTERM first, SIGKILL after `graceMs`. When its process has exited, whatever it
 * left behind is killed and reading stops, so nothing it started can hold the run. A file that
 * cannot be written (a full disk) stops the worker and fails the attempt with the reason.
 */
export async function spawnWorker(options: SpawnOptions): Promise<AttemptResult> {
  const state = initialEventState();
  const started = Date.now();
  if (options.signal?.aborted) return { outcome: 'canceled', exitCode: null, error: 'canceled before start', transient: false, state, durationMs: 0, violations: [] };
  // The logs are opened before the worker starts: one that cannot be (a link in its place, a
  // full disk) fails the attempt with nothing started.
  const logs: number[] = [];
  try {
    for (const path of [options.eventsPath, options.stderrPath]) logs.push(openLog(path, options.continuation !== undefined));
  } catch (error) {
    for (const fd of logs) closeSync(fd);
    const path = logs.length === 0 ? options.eventsPath : options.stderrPath;
    return { outcome: 'failed', exitCode: null, error: diskErrorMessage(error, path), transient: false, state, durationMs: 0, violations: [] };
  }

  const child = execa(options.file, options.args, {
    input: options.prompt,
    cwd: options.cwd,
    env: { ...options.env, [workerMarkVariable]: options.mark },
    extendEnv: false,
    detached: true,
    buffer: false,
    reject: false,
    stdout: 'pipe',
    stderr: 'pipe',
    stripFinalNewline: false,
  });
  const pid = child.pid;
  const exited = new Promise<void>((resolveExit) => {
    child.once('exit', () => resolveExit());
    child.once('error', () => resolveExit());
  });
  if (pid !== undefined) options.onSpawn?.(pid);

  let stopping: StopReason | null = null;
  let forceTimer: NodeJS.Timeout | undefined;
  let seen: number[] = [];
  // Set once the process has exited: output still draining may yet fail the attempt (a guard
  // violation), but starts no signal and no timer (a timer would keep the runner alive).
  let ended = false;
  const stop = (reason: StopReason): void => {
    if (stopping !== null || pid === undefined) return;
    stopping = reason;
    if (ended) return;
    seen = signalTree(pid, 'SIGTERM', seen, options.mark);
    forceTimer = setTimeout(() => {
      seen = signalTree(pid, 'SIGKILL', seen, options.mark);
    }, options.graceMs);
  };

  let stderrTail = '';
  const tail = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      stderrTail = (stderrTail + chunk.toString('utf8')).slice(-stderrTailBytes);
      callback(null, chunk);
    },
  });
  const eventsFile = createWriteStream('', { fd: logs[0] as number });
  const stderrFile = createWriteStream('', { fd: logs[1] as number });
  // A file that cannot be written (ENOSPC, EIO) loses what the worker says: stop it, say why.
  const onWriteError = (file: WriteStream, path: string): void => {
    file.once('error', (error) => stop({ outcome: 'failed', error: diskErrorMessage(error, path), transient: false }));
  };
  onWriteError(eventsFile, options.eventsPath);
  onWriteError(stderrFile, options.stderrPath);
  if (options.continuation) {
    eventsFile.write(options.continuation.events);
    stderrFile.write(options.continuation.stderr);
  }
  // The watchdog: armed while the worker waits on the model, re-armed by every sign of progress.
  // Once codex shows nothing but reconnect notices, the model is out of reach: it gets
  // `reconnectLimitMs` (or the watchdog, when that is shorter) from the last sign of progress.
  let watchdog: NodeJS.Timeout | undefined;
  let lastProgress = Date.now();
  let reconnecting = false;
  const watch = (): void => {
    clearTimeout(watchdog);
    if (ended || state.busy.size > 0) return;
    const limit = reconnecting ? Math.min(reconnectLimitMs, options.watchdogMs > 0 ? options.watchdogMs : reconnectLimitMs) : options.watchdogMs;
    if (limit <= 0) return;
    watchdog = setTimeout(() => {
      const last = state.error !== null ? `last error: ${state.error}` : `nothing after: ${state.activity}`;
      if (reconnecting) {
        const where = options.endpoint !== undefined ? ` to ${options.endpoint}` : '';
        stop({ outcome: 'failed', error: `model unreachable: codex kept reconnecting${where} for ${formatDuration(limit)} (${last})`, transient: true, unreachable: true });
      } else stop({ outcome: 'failed', error: `model unreachable: no progress from codex for ${formatDuration(limit)} (${last})`, transient: true });
    }, Math.max(0, lastProgress + limit - Date.now()));
  };
  watch();
  const violations: GuardViolation[] = [];
  const onEvent = (event: Record<string, unknown>): void => {
    const important = applyEvent(state, event);
    if (isProgress(event)) {
      lastProgress = Date.now();
      reconnecting = false;
      watch();
    } else if (!reconnecting && event['type'] === 'error') {
      reconnecting = true;
      watch();
    }
    // The recursion guard: a worker that starts workers (or edits in a read-only role) is ended.
    const violation = guardViolation(event, { edits: options.edits });
    if (violation !== null) {
      violations.push(violation);
      stop({ outcome: 'failed', error: `guard: ${violation.detail}`, transient: false });
    }
    options.onEvent?.(state, important || violation !== null);
  };
  // Settled from the start: a stream error (a full disk) is handled as the worker's failure
  // above, never an unhandled rejection while the worker still runs.
  const streams = Promise.allSettled([pipeline(child.stdout, new EventTap(onEvent), eventsFile), pipeline(child.stderr, tail, stderrFile)]);

  const timer = options.timeoutMs > 0 ? setTimeout(() => stop({ outcome: 'timed-out' }), options.timeoutMs) : undefined;
  const onAbort = (): void => stop({ outcome: 'canceled' });
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const onKill = (): void => {
    stop({ outcome: 'canceled' });
    if (pid !== undefined) seen = signalTree(pid, 'SIGKILL', seen, options.mark);
  };
  if (options.killSignal?.aborted) onKill();
  else options.killSignal?.addEventListener('abort', onKill, { once: true });

  await exited;
  ended = true;
  clearTimeout(timer);
  clearTimeout(watchdog);
  clearTimeout(forceTimer);
  options.signal?.removeEventListener('abort', onAbort);
  options.killSignal?.removeEventListener('abort', onKill);
  // Whatever the worker left in its group, its tree or under its mark must not outlive it.
  if (pid !== undefined) signalTree(pid, 'SIGKILL', seen, options.mark);
  let drainTimer: NodeJS.Timeout | undefined;
  const drained = await Promise.race([streams.then(() => true), new Promise<false>((r) => (drainTimer = setTimeout(() => r(false), drainMs)))]);
  clearTimeout(drainTimer);
  if (!drained) {
    // Something outside the worker's reach still holds its output open: stop reading.
    child.stdout?.destroy();
    child.stderr?.destroy();
    await streams;
  }
  const result = await child;

  const durationMs = Date.now() - started;
  const exitCode = typeof result.exitCode === 'number' ? result.exitCode : null;
  const reason = stopping as StopReason | null;
  if (reason?.outcome === 'failed') return { outcome: 'failed', exitCode, error: reason.error, transient: reason.transient, state, durationMs, violations, ...(reason.unreachable ? { unreachable: true } : {}) };
  if (reason?.outcome === 'timed-out') {
    // The last error event says why it hung, e.g. Codex waiting for a model that went away.
    const last = state.error === null ? '' : ` (last error: ${state.error})`;
    return { outcome: 'timed-out', exitCode, error: `timed out after ${Math.round(options.timeoutMs / 100) / 10} s${last}`, transient: false, state, durationMs, violations };
  }
  if (reason?.outcome === 'canceled') return { outcome: 'canceled', exitCode, error: 'canceled', transient: false, state, durationMs, violations };
  if (result.failed && exitCode === null && result.signal === undefined) {
    // Could not start: a missing or non-executable codex binary.
    const message = result.code === 'ENOENT' ? `cannot run \`${options.file}\`: not found (install @openai/codex, or pass --codex-bin / set CODEX_BIN)` : (result.shortMessage ?? `cannot run \`${options.file}\``);
    return { outcome: 'failed', exitCode, error: message, transient: false, state, durationMs, violations };
  }
  if (exitCode === 0 && !state.turnFailed) return { outcome: 'succeeded', exitCode, error: null, transient: false, state, durationMs, violations };
  const error = state.error ?? lastLines(stderrTail) ?? (result.signal ? `killed by ${result.signal}` : `exit code ${String(exitCode)}`);
  return { outcome: 'failed', exitCode, error, transient: transientPattern.test(error), state, durationMs, violations };
}

/**
 * Open a worker's log, following no link: appended to for a later attempt, else emptied first.
 */
function openLog(path: string, append: boolean): number {
  const fd = openLogForAppend(path);
  if (!append) ftruncateSync(fd);
  return fd;
}

function lastLines(text: string): string | null {
  const lines = text.replace(/\x1b\[[0-9;]*m/g, '').split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.length > 0 ? lines.slice(-3).join(' | ') : null;
}

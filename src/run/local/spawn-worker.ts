import { closeSync, createWriteStream, type WriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { execa } from 'execa';
import type { AttemptResult } from '../executor/executor.js';
import { diskErrorMessage } from '../record/disk-error.js';
import { openLogForAppend } from '../record/run-files.js';
import type { Violation } from '../record/model.js';
import { EventTap } from './event-tap.js';
import { applyEvent, initialEventState, type EventState } from './events.js';
import { guardViolation } from './guard.js';
import { untilGone, workerMarkVariable } from './process-tree.js';
import { ProgressWatch, WorkerStop, type StopReason } from './worker-stop.js';

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

/** The worker process's output, as execa gives it. */
type Child = { stdout: Readable | null; stderr: Readable | null };

const stderrTailBytes = 4096;
/**
 * After the worker's process has exited, how long its output may still drain. Only a process
 * that escaped the worker's tree and its mark can hold the pipes longer; then reading stops.
 */
const drainMs = 2000;
// Codex reports an HTTP 5xx from the model as "high demand ... temporary errors".
const transientPattern = /high demand|temporary error|stream disconnected|stream error|error sending request|connection (?:reset|refused|closed)|internal server error|bad gateway|service unavailable|gateway timeout|overloaded|rate limit|too many requests|\b(?:429|5\d\d)\b|timed? ?out waiting/i;

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
  const ended = (fields: Omit<AttemptResult, 'threadId' | 'usage' | 'durationMs' | 'violations'>, violations: Violation[] = []): AttemptResult => ({
    ...fields,
    threadId: state.threadId,
    usage: state.usage,
    durationMs: Date.now() - started,
    violations,
  });
  if (options.signal?.aborted) return ended({ outcome: 'canceled', exitCode: null, error: 'canceled before start', transient: false });
  // The logs are opened before the worker starts: one that cannot be (a link in its place, a
  // full disk) fails the attempt with nothing started.
  const logs = await openLogs(options);
  if ('error' in logs) return ended({ outcome: 'failed', exitCode: null, error: logs.error, transient: false });
  if (options.signal?.aborted) {
    closeSync(logs.events);
    closeSync(logs.stderr);
    return ended({ outcome: 'canceled', exitCode: null, error: 'canceled before start', transient: false });
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
  const exited = new Promise<void>((resolveExit) => {
    child.once('exit', () => resolveExit());
    child.once('error', () => resolveExit());
  });
  if (child.pid !== undefined) options.onSpawn?.(child.pid);
  const stop = new WorkerStop(child.pid, options.mark, options.graceMs);
  const watch = new ProgressWatch(state, stop, { watchdogMs: options.watchdogMs, ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}) });
  const violations: Violation[] = [];
  const onEvent = (event: Record<string, unknown>): void => {
    const important = applyEvent(state, event);
    watch.saw(event);
    // The recursion guard: a worker that starts workers (or edits in a read-only role) is ended.
    const violation = guardViolation(event, { edits: options.edits });
    if (violation !== null) {
      violations.push(violation);
      stop.stop({ outcome: 'failed', error: `guard: ${violation.detail}`, transient: false });
    }
    options.onEvent?.(state, important || violation !== null);
  };
  const output = streamOutput(child, logs, onEvent, stop, options);
  const unlisten = listen(stop, options);
  await exited;
  // What it left running is killed; the attempt ends once that is gone too (a retry or the next
  // stage never starts beside it).
  const leftovers = untilGone(stop.exited(), 2000);
  watch.close();
  unlisten();
  await drain(child, output.streams);
  await leftovers;
  const result = await child;
  const exitCode = typeof result.exitCode === 'number' ? result.exitCode : null;
  return ended(outcomeOf(stop.reason, { exitCode, state, stderrTail: output.tail(), result, options }), violations);
}

/** The two logs, opened (together, off the event loop) before the worker starts, or why one cannot be. */
async function openLogs(options: SpawnOptions): Promise<{ events: number; stderr: number } | { error: string }> {
  // A first attempt starts the logs afresh; a later one appends after its marker line.
  const fresh = options.continuation === undefined;
  const paths = [options.eventsPath, options.stderrPath];
  const opened = await Promise.allSettled(paths.map((path) => openLogForAppend(path, fresh)));
  const failed = opened.findIndex((result) => result.status === 'rejected');
  if (failed === -1) return { events: (opened[0] as PromiseFulfilledResult<number>).value, stderr: (opened[1] as PromiseFulfilledResult<number>).value };
  for (const result of opened) if (result.status === 'fulfilled') closeSync(result.value);
  return { error: diskErrorMessage((opened[failed] as PromiseRejectedResult).reason, paths[failed] as string) };
}

/**
 * Stream the worker's output into its logs (events parsed line by line on the way, a tail of
 * stderr kept for the error). A log that cannot be written (ENOSPC, EIO) stops the worker.
 */
function streamOutput(child: Child, logs: { events: number; stderr: number }, onEvent: (event: Record<string, unknown>) => void, stop: WorkerStop, options: SpawnOptions) {
  let stderrTail = '';
  const tail = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      stderrTail = (stderrTail + chunk.toString('utf8')).slice(-stderrTailBytes);
      callback(null, chunk);
    },
  });
  const eventsFile = createWriteStream('', { fd: logs.events });
  const stderrFile = createWriteStream('', { fd: logs.stderr });
  const onWriteError = (file: WriteStream, path: string): void => {
    file.once('error', (error) => stop.stop({ outcome: 'failed', error: diskErrorMessage(error, path), transient: false }));
  };
  onWriteError(eventsFile, options.eventsPath);
  onWriteError(stderrFile, options.stderrPath);
  if (options.continuation) {
    eventsFile.write(options.continuation.events);
    stderrFile.write(options.continuation.stderr);
  }
  // Settled from the start: a stream error (a full disk) is handled as the worker's failure
  // above, never an unhandled rejection while the worker still runs.
  const streams = Promise.allSettled([pipeline(child.stdout as Readable, new EventTap(onEvent), eventsFile), pipeline(child.stderr as Readable, tail, stderrFile)]);
  return { streams, tail: () => stderrTail };
}

/** The timeout, Ctrl-C and a second Ctrl-C stop the worker; returns what ends listening. */
function listen(stop: WorkerStop, options: SpawnOptions): () => void {
  const timer = options.timeoutMs > 0 ? setTimeout(() => stop.stop({ outcome: 'timed-out' }), options.timeoutMs) : undefined;
  const onAbort = (): void => stop.stop({ outcome: 'canceled' });
  const onKill = (): void => stop.kill();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.killSignal?.aborted) onKill();
  else options.killSignal?.addEventListener('abort', onKill, { once: true });
  return () => {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    options.killSignal?.removeEventListener('abort', onKill);
  };
}

/** Let the output drain; if something beyond the worker's reach still holds it open, stop reading. */
async function drain(child: Child, streams: Promise<unknown>): Promise<void> {
  let drainTimer: NodeJS.Timeout | undefined;
  const drained = await Promise.race([streams.then(() => true), new Promise<false>((r) => (drainTimer = setTimeout(() => r(false), drainMs)))]);
  clearTimeout(drainTimer);
  if (drained) return;
  child.stdout?.destroy();
  child.stderr?.destroy();
  await streams;
}

/** How the attempt ended: the stop reason first, else what codex's exit and events say. */
function outcomeOf(
  reason: StopReason | null,
  ended: { exitCode: number | null; state: EventState; stderrTail: string; result: { failed: boolean; signal?: string | undefined; code?: string | undefined; shortMessage?: string | undefined }; options: SpawnOptions },
): Omit<AttemptResult, 'threadId' | 'usage' | 'durationMs' | 'violations'> {
  const { exitCode, state, result, options } = ended;
  if (reason?.outcome === 'failed') return { outcome: 'failed', exitCode, error: reason.error, transient: reason.transient, ...(reason.unreachable ? { unreachable: true } : {}) };
  if (reason?.outcome === 'timed-out') {
    // The last error event says why it hung, e.g. Codex waiting for a model that went away.
    const last = state.error === null ? '' : ` (last error: ${state.error})`;
    return { outcome: 'timed-out', exitCode, error: `timed out after ${Math.round(options.timeoutMs / 100) / 10} s${last}`, transient: false };
  }
  if (reason?.outcome === 'canceled') return { outcome: 'canceled', exitCode, error: 'canceled', transient: false };
  if (result.failed && exitCode === null && result.signal === undefined) {
    // Could not start: a missing or non-executable codex binary.
    const message = result.code === 'ENOENT' ? `cannot run \`${options.file}\`: not found (install @openai/codex, or set CODEX_BIN / --set codex-bin=PATH)` : (result.shortMessage ?? `cannot run \`${options.file}\``);
    return { outcome: 'failed', exitCode, error: message, transient: false };
  }
  if (exitCode === 0 && !state.turnFailed) return { outcome: 'succeeded', exitCode, error: null, transient: false };
  const error = state.error ?? lastLines(ended.stderrTail) ?? (result.signal ? `killed by ${result.signal}` : `exit code ${String(exitCode)}`);
  return { outcome: 'failed', exitCode, error, transient: transientPattern.test(error) };
}

function lastLines(text: string): string | null {
  const lines = text.replace(/\x1b\[[0-9;]*m/g, '').split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.length > 0 ? lines.slice(-3).join(' | ') : null;
}

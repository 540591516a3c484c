import { formatDuration } from '../settings/duration.js';
import { isProgress, type EventState } from './events.js';
import { signalTree } from './process-tree.js';

/** Why a worker is being stopped; the first reason wins. */
export type StopReason = { outcome: 'timed-out' | 'canceled' } | { outcome: 'failed'; error: string; transient: boolean; unreachable?: boolean };

/** How long codex may show nothing but reconnect notices before its model counts as out of reach. */
export const reconnectLimitMs = 30_000;

/**
 * Ends one worker's process tree, once, for the first reason given: SIGTERM to its group, its
 * descendants and every process carrying its mark, then SIGKILL after `graceMs`. Once the
 * process has exited (`ended`), a reason is still remembered but nothing is signalled and no
 * timer starts (a timer would keep the runner alive).
 */
export class WorkerStop {
  #reason: StopReason | null = null;
  #seen: number[] = [];
  #force: NodeJS.Timeout | undefined;
  #ended = false;

  constructor(
    private readonly pid: number | undefined,
    private readonly mark: string,
    private readonly graceMs: number,
  ) {}

  get reason(): StopReason | null {
    return this.#reason;
  }

  get ended(): boolean {
    return this.#ended;
  }

  stop(reason: StopReason): void {
    if (this.#reason !== null || this.pid === undefined) return;
    this.#reason = reason;
    if (this.#ended) return;
    const pid = this.pid;
    this.#seen = signalTree(pid, 'SIGTERM', this.#seen, this.mark);
    this.#force = setTimeout(() => {
      this.#seen = signalTree(pid, 'SIGKILL', this.#seen, this.mark);
    }, this.graceMs);
  }

  /** Kill at once (a second Ctrl-C). */
  kill(): void {
    this.stop({ outcome: 'canceled' });
    if (this.pid !== undefined) this.#seen = signalTree(this.pid, 'SIGKILL', this.#seen, this.mark);
  }

  /**
   * The process exited: whatever it left in its group, its tree or under its mark goes too.
   * Returns the processes signalled, to wait until they are gone.
   */
  exited(): number[] {
    this.#ended = true;
    clearTimeout(this.#force);
    return this.pid !== undefined ? signalTree(this.pid, 'SIGKILL', this.#seen, this.mark) : [];
  }
}

/**
 * The watchdog: armed while the worker waits on the model, re-armed by every sign of progress.
 * Once codex shows nothing but reconnect notices, the model is out of reach: it gets
 * {@link reconnectLimitMs} (or the watchdog, when that is shorter) from the last sign of
 * progress, and the worker fails naming `endpoint`.
 */
export class ProgressWatch {
  #timer: NodeJS.Timeout | undefined;
  #lastProgress = Date.now();
  #reconnecting = false;

  constructor(
    private readonly state: EventState,
    private readonly stop: WorkerStop,
    private readonly options: { watchdogMs: number; endpoint?: string },
  ) {
    this.#arm();
  }

  /** Fold one event in: progress re-arms, a first reconnect notice shortens the wait. */
  saw(event: Record<string, unknown>): void {
    if (isProgress(event)) {
      this.#lastProgress = Date.now();
      this.#reconnecting = false;
      this.#arm();
    } else if (!this.#reconnecting && event['type'] === 'error') {
      this.#reconnecting = true;
      this.#arm();
    }
  }

  close(): void {
    clearTimeout(this.#timer);
  }

  #arm(): void {
    clearTimeout(this.#timer);
    if (this.stop.ended || this.state.busy.size > 0) return;
    const { watchdogMs } = this.options;
    const limit = this.#reconnecting ? Math.min(reconnectLimitMs, watchdogMs > 0 ? watchdogMs : reconnectLimitMs) : watchdogMs;
    if (limit <= 0) return;
    this.#timer = setTimeout(() => this.#fire(limit), Math.max(0, this.#lastProgress + limit - Date.now()));
  }

  #fire(limit: number): void {
    const last = this.state.error !== null ? `last error: ${this.state.error}` : `nothing after: ${this.state.activity}`;
    if (this.#reconnecting) {
      const where = this.options.endpoint !== undefined ? ` to ${this.options.endpoint}` : '';
      this.stop.stop({ outcome: 'failed', error: `model unreachable: codex kept reconnecting${where} for ${formatDuration(limit)} (${last})`, transient: true, unreachable: true });
    } else this.stop.stop({ outcome: 'failed', error: `model unreachable: no progress from codex for ${formatDuration(limit)} (${last})`, transient: true });
  }
}

import { UserError } from '../errors/index.js';
import { startRun, type RunHandle, type RunPlan, type RunResult } from '../run/index.js';
import { limits } from './limits.js';

/** A run this server started, while the server lives. */
export interface LiveRun {
  handle: RunHandle;
  /** How it ended, once it has. */
  result: RunResult | null;
  /** Called after each of its events, and when it ends. */
  listeners: Set<() => void>;
}

/** How often a run this server does not hold is read again while a call waits on it. */
const pollMs = 500;

/**
 * The runs this server started: they outlive the tool call that started them (a call returns
 * at its time limit while the run goes on), are recorded in their run folders like the CLI's,
 * and are canceled when the server stops. Runs it does not hold (another process's, its own
 * from before a restart, or ended long enough ago to be let go) are read from their folders.
 * It holds a few running runs at most, and the last few that ended.
 */
export class RunRegistry {
  private readonly live = new Map<string, LiveRun>();

  /** `endedKept`: how many ended runs it holds (default `limits.endedRunsKept`). */
  constructor(
    private readonly env: Readonly<Record<string, string | undefined>>,
    private readonly endedKept: number = limits.endedRunsKept,
  ) {}

  /**
   * Start a planned run (checked ready) and keep it.
   *
   * @throws {UserError} `mcp-refused` when this server already runs as many runs as it may.
   */
  start(plan: RunPlan, endpoint: string | undefined): LiveRun {
    this.checkRoom();
    const listeners = new Set<() => void>();
    // Called from inside the run's own event handling: a listener never throws into it.
    const notify = (): void => {
      for (const listener of listeners) {
        try {
          listener();
        } catch {
          listeners.delete(listener);
        }
      }
    };
    const handle = startRun(plan, { env: this.env, ...(endpoint !== undefined ? { endpoint } : {}), onEvent: notify });
    const run: LiveRun = { handle, result: null, listeners };
    this.live.set(plan.runDir, run);
    const ended = (result: RunResult | null): void => {
      run.result = result ?? { runDir: plan.runDir, status: 'failed', canceled: false, manifest: handle.manifest, error: 'the run ended with an internal error' };
      notify();
      this.letGo();
    };
    handle.wait().then(ended, () => ended(null));
    return run;
  }

  /**
   * Refuse a new run when this server already runs as many as it may.
   *
   * @throws {UserError} `mcp-refused`.
   */
  checkRoom(): void {
    const running = this.running().length;
    if (running >= limits.runningRuns) {
      throw new UserError('mcp-refused', `start_run: this server already runs ${running} runs, the most it runs at once; wait for one to end (wait_run) or stop one (cancel_run), then start again`, { data: { limit: limits.runningRuns } });
    }
  }

  /** The run in `runDir`, when this server holds it. */
  get(runDir: string): LiveRun | undefined {
    return this.live.get(runDir);
  }

  /**
   * Wait until `done()` holds (checked after each event of a held run, else every half second),
   * `ms` pass, or `signal` aborts. Resolves whether `done()` held.
   */
  async waitFor(runDir: string, done: () => boolean, ms: number, signal: AbortSignal): Promise<boolean> {
    if (done()) return true;
    // Later checks run from timers and the run's events: a failing one (a record that cannot be
    // read) ends the wait, and the caller reads the run again, where the failure is its error.
    const holds = (): boolean => {
      try {
        return done();
      } catch {
        return true;
      }
    };
    if (ms <= 0 || signal.aborted) return false;
    const run = this.live.get(runDir);
    return new Promise<boolean>((resolve) => {
      const finish = (value: boolean): void => {
        clearTimeout(timer);
        clearInterval(poll);
        run?.listeners.delete(check);
        signal.removeEventListener('abort', aborted);
        resolve(value);
      };
      const check = (): void => {
        if (holds()) finish(true);
      };
      const aborted = (): void => finish(false);
      const timer = setTimeout(() => finish(holds()), ms);
      const poll = run ? undefined : setInterval(check, pollMs);
      run?.listeners.add(check);
      signal.addEventListener('abort', aborted, { once: true });
    });
  }

  /** Cancel a held run (its workers get SIGTERM, then SIGKILL after their grace); false when not held. */
  cancel(runDir: string): boolean {
    const run = this.live.get(runDir);
    if (!run) return false;
    run.handle.cancel();
    return true;
  }

  /** Whether a held run is still running. */
  running(): LiveRun[] {
    return [...this.live.values()].filter((run) => run.result === null);
  }

  /** Let go of ended runs but the last few (their folders say how they ended), so a long-lived server does not grow. */
  private letGo(): void {
    const ended = [...this.live].filter(([, run]) => run.result !== null);
    for (const [runDir] of ended.slice(0, Math.max(0, ended.length - this.endedKept))) this.live.delete(runDir);
  }

  /** Cancel every held run and wait until each has recorded how it ended; `kill` ends workers at once. */
  async stopAll(kill = false): Promise<void> {
    const running = this.running();
    for (const run of running) (kill ? run.handle.kill : run.handle.cancel)();
    await Promise.all(running.map((run) => run.handle.wait().catch(() => undefined)));
  }
}

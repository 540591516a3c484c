import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../errors/index.js';
import { executorOf as findExecutor, recoverWorkers, type Executor } from '../executor/executor.js';
import { manifestFile, runStatusOf, stillSealedAs } from '../record/manifest.js';
import type { Manifest, RunStatus } from '../record/model.js';
import { takeRunFolder, type OwnerLock } from '../record/owner-lock.js';
import type { RunEvent } from '../record/reducer.js';
import { ignoreRunsFolder } from '../record/run-files.js';
import { runKeys } from '../record/seal.js';
import type { RunPlan } from '../plan/run-plan.js';
import { budgetMessage, overBudget } from './budget.js';
import { EventFeed } from './event-feed.js';
import { mergeResults } from './merge-step.js';
import { RunRecord } from './run-record.js';
import { createRunScope } from './run-scope.js';
import { RunStop, stoppedMessage } from './run-stop.js';
import { scheduleWorkers } from './schedule.js';
import type { WorkerContext } from './worker-context.js';

/** Options of {@link startRun}. */
export interface StartRunOptions {
  /** Environment of the workers (`codex` finds its config and key here). */
  env: Readonly<Record<string, string | undefined>>;
  /** The model endpoint the workers use (`http://host/v1`), named when it cannot be reached. */
  endpoint?: string;
  /** Called with every event as it happens, after the record has changed (a live display). */
  onEvent?(event: RunEvent, manifest: Manifest): void;
}

/** How a run ended; a failed or canceled run has the same shape as a successful one. */
export interface RunResult {
  runDir: string;
  status: RunStatus;
  /** Stopped by `cancel()` (Ctrl-C). */
  canceled: boolean;
  manifest: Manifest;
  /** What failed the run as a whole (a manifest that could not be written), else null. */
  error: string | null;
}

/** A started run: follow it, wait for it, stop it. */
export interface RunHandle {
  runDir: string;
  /** The live record (changed only by the run's events). */
  manifest: Manifest;
  /** What to tell the user before the run goes on (one line each). */
  warnings: string[];
  /**
   * Every event from now until the run ends. The run starts on the next turn of the event loop,
   * so a subscriber made in the same turn as `startRun` sees every event, the first included.
   */
  events(): AsyncIterableIterator<RunEvent>;
  /** Settles when every worker has ended and the record says so; never rejects for a worker's failure. */
  wait(): Promise<RunResult>;
  /** Stop the run: running workers get SIGTERM, then SIGKILL after their grace period. */
  cancel(): void;
  /** End running workers at once (a second Ctrl-C; a process about to exit). */
  kill(): void;
}

/**
 * Start a planned run: take its folder (one runner at a time), write every prompt and the
 * manifest, then run the stages in order (workers within a stage in parallel up to
 * `max-parallel`, never two writers on overlapping paths at once), each worker through its
 * executor, and finally merge structured results when asked. The record changes through events
 * only and is rewritten atomically, sealed, on each change. No console, no process-wide state.
 *
 * @throws {UserError} `run-dir-taken` when a new run's folder already holds a run;
 * `run-still-running` when another runner owns it.
 */
export function startRun(plan: RunPlan, options: StartRunOptions): RunHandle {
  if (!plan.resumed && existsSync(join(plan.runDir, manifestFile))) {
    throw new UserError('run-dir-taken', `${plan.runDir} already holds a run; continue it with \`orch-prompt runs resume ${plan.runDir}\`, or choose another --run-dir`);
  }
  // One runner at a time owns the folder, for the run's whole life. A folder that cannot be
  // made is the run's failure (the result says why); one another runner owns is refused here.
  let lock: OwnerLock | undefined;
  try {
    mkdirSync(plan.runDir, { recursive: true });
  } catch {
    // reported by the run
  }
  if (existsSync(plan.runDir)) lock = takeRunFolder(plan.runDir, 'run');
  if (plan.resumed && lock !== undefined && !stillSealedAs(plan.runDir, plan.kinds, plan.basis)) {
    lock.release();
    throw new UserError('run-still-running', `runs resume ${plan.runDir}: the run changed while this resume was planned (another runner took it up); look at it again with \`orch-prompt runs show ${plan.runDir}\``);
  }
  ignoreRunsFolder(plan.runDir);
  const keys = runKeys(options.env, { create: true });
  const warnings = keys.seal === null ? [`${keys.problem ?? 'no key'}: this run is recorded unsealed, so it cannot be resumed, applied or cleaned by orch-prompt later`] : [];
  const feed = new EventFeed();
  const cancel = new AbortController();
  const kill = new AbortController();
  const result = new Promise<void>((started) => setImmediate(started)).then(() => execute(plan, { ...options, key: keys.seal, feed, cancel: cancel.signal, kill: kill.signal })).finally(() => {
    lock?.release();
    feed.end();
  });
  return {
    runDir: plan.runDir,
    manifest: plan.manifest,
    warnings,
    events: () => feed.subscribe(),
    wait: () => result,
    cancel: () => cancel.abort(),
    kill: () => {
      cancel.abort();
      kill.abort();
    },
  };
}

interface Execution extends StartRunOptions {
  key: Buffer | null;
  feed: EventFeed;
  cancel: AbortSignal;
  kill: AbortSignal;
}

async function execute(plan: RunPlan, options: Execution): Promise<RunResult> {
  const { runDir, manifest } = plan;
  const stop = new RunStop();
  const onCancel = (): void => stop.stop({ kind: 'user' });
  if (options.cancel.aborted) onCancel();
  options.cancel.addEventListener('abort', onCancel, { once: true });
  const record = new RunRecord(runDir, manifest, options.key, stop);
  let unreachable: string | null = null;
  const executorOf = (kind: string): Executor => {
    const found = findExecutor(plan.kinds.executors, kind);
    if (!found) throw new Error(`no executor \`${kind}\``);
    return found;
  };
  const context: WorkerContext = {
    runDir,
    manifest,
    env: options.env,
    endpoint: options.endpoint,
    templates: plan.templates,
    stop,
    killSignal: options.kill,
    scope: createRunScope(),
    executorOf,
    emit: (event) => {
      record.apply(event);
      options.feed.push(event);
      options.onEvent?.(event, manifest);
      if (event.type === 'progress' || event.type === 'attempt-ended') checkBudget(context);
    },
    unreachable: (error) => {
      unreachable ??= error;
    },
  };
  try {
    // End a dead runner's workers first, or a resumed writer could run beside its own orphan.
    // (Their stored records: the plan's are fresh ones, pending.)
    await recoverWorkers(plan.orphans ?? [], plan.kinds.executors, runDir);
    record.begin(plan);
    checkBudget(context);
    await scheduleWorkers(plan, context, () => manifest.stopped === undefined && unreachable === null);
  } catch (error) {
    record.close(); // nothing may be written once the folder is let go
    throw error;
  } finally {
    options.cancel.removeEventListener('abort', onCancel);
  }
  const canceled = stop.cause?.kind === 'user';
  const notStarted = manifest.stopped ? `not started: ${manifest.stopped.detail}` : unreachable !== null ? `not started: another worker found the model out of reach (${unreachable})` : stoppedMessage(stop.cause, false);
  let status = runStatusOf(manifest.workers, canceled);
  if (record.error !== null && status === 'succeeded') status = 'failed';
  context.emit({ type: 'run-ended', at: new Date().toISOString(), status, notStarted });
  if (manifest.options.merge && manifest.options.structured && !canceled) mergeResults(plan, context, record);
  record.close();
  return { runDir, status: manifest.status, canceled, manifest, error: record.error };
}

/** The budget: once it is spent nothing new starts; once it is exceeded the running stop too. */
function checkBudget(context: WorkerContext): void {
  const { manifest, stop } = context;
  const state = overBudget(manifest);
  if (state === null) return;
  if (!manifest.stopped) context.emit({ type: 'budget-spent', detail: budgetMessage(manifest) });
  if (state === 'exceeded') stop.stop({ kind: 'budget', message: manifest.stopped?.detail ?? budgetMessage(manifest) });
}

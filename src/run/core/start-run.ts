import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../errors/index.js';
import { writeFileAtomic } from '../../fs/write-atomic.js';
import { diskErrorMessage, isDiskFull } from '../record/disk-error.js';
import { manifestFile, runStatusOf, writeManifest } from '../record/manifest.js';
import { mergeStructured, writeMerged } from './merge.js';
import type { Manifest, RunStatus, WorkerRecord } from '../record/model.js';
import { runTotals } from '../cost/usage.js';
import { pathsOverlap } from '../plan/overlap.js';
import type { PlannedWorker } from '../plan/plan-workers.js';
import { endStaleWorker, signalTree } from '../local/process-tree.js';
import type { RunPlan } from '../plan/run-plan.js';
import { RunStop, stoppedMessage } from './run-stop.js';
import { pumpStages } from './stage-pump.js';
import { openWorkerFolder } from '../record/worker-files.js';
import { takeRunFolder, type OwnerLock } from '../record/owner-lock.js';
import { ignoreRunsFolder, reserveSpace, type SpaceReserve } from '../record/run-files.js';
import { runKeys } from '../record/seal.js';
import { runWorker, type WorkerRunContext } from './worker-run.js';

/** Options of {@link startRun}. */
export interface StartRunOptions {
  /** Environment of the workers (`codex` finds its config and key here). */
  env: Readonly<Record<string, string | undefined>>;
  /** Stops the run: running workers get SIGTERM, then SIGKILL after the grace period. */
  signal?: AbortSignal;
  /** Ends running workers at once with SIGKILL (a second Ctrl-C). */
  killSignal?: AbortSignal;
  /** Called on every worker state change and activity (for a live display). */
  onProgress?(record: WorkerRecord, activity: string): void;
  /** The model endpoint the workers use (`http://host/v1`), named when it cannot be reached. */
  endpoint?: string;
}

/** How a run ended; a failed or canceled run has the same shape as a successful one. */
export interface RunResult {
  runDir: string;
  status: RunStatus;
  /** Stopped through `signal` (Ctrl-C). */
  canceled: boolean;
  manifest: Manifest;
  /** What failed the run as a whole (a manifest that could not be written), else null. */
  error: string | null;
}

/** A started run. */
export interface RunHandle {
  runDir: string;
  /** The live manifest (updated as workers progress). */
  manifest: Manifest;
  /** What the caller should tell the user before the run goes on (one line each). */
  warnings: string[];
  /** Settles when every worker has ended and the manifest says so; never rejects for a worker's failure. */
  result: Promise<RunResult>;
}

/**
 * Start a planned run: create its folder, write every prompt and the manifest, then run the
 * stages in order (workers within a stage in parallel up to `maxParallel`, never two editing
 * workers on overlapping paths at once), retrying transient failures, and finally merge
 * structured results when asked. The manifest is rewritten atomically on every state change. The
 * run owns its workers: cancellation stops them, and a runner process that exits while they run
 * ends them.
 *
 * @throws {UserError} `run-dir-taken` when a new run's folder already holds a run.
 */
export function startRun(plan: RunPlan, options: StartRunOptions): RunHandle {
  if (!plan.resumed && existsSync(join(plan.runDir, manifestFile))) {
    throw new UserError('run-dir-taken', `${plan.runDir} already holds a run; continue it with --resume ${plan.runDir}, or choose another --run-dir`);
  }
  // One runner at a time owns the folder, for the run's whole life. A folder that cannot be
  // made is the run's failure (execute says why); one that another runner owns is refused here.
  let lock: OwnerLock | undefined;
  try {
    mkdirSync(plan.runDir, { recursive: true });
  } catch {
    // execute reports it
  }
  if (existsSync(plan.runDir)) lock = takeRunFolder(plan.runDir, 'run');
  ignoreRunsFolder(plan.runDir);
  const keys = runKeys(options.env, { create: true });
  const warnings = keys.seal === null ? [`${keys.problem ?? 'no key'}: this run is recorded unsealed, so it cannot be resumed, applied or cleaned by orch-prompt later`] : [];
  return { runDir: plan.runDir, manifest: plan.manifest, warnings, result: execute(plan, options, keys.seal).finally(() => lock?.release()) };
}

/** `spent` once the run's budget is used up, `exceeded` once it is gone over, else null. */
function overBudget(manifest: Manifest): 'spent' | 'exceeded' | null {
  const { budgetTokens, budgetUsd } = manifest.options;
  const totals = runTotals(manifest);
  const usd = totals.costUsd ?? 0;
  if ((budgetTokens !== undefined && totals.tokens > budgetTokens) || (budgetUsd !== undefined && usd > budgetUsd)) return 'exceeded';
  if ((budgetTokens !== undefined && totals.tokens >= budgetTokens) || (budgetUsd !== undefined && usd >= budgetUsd)) return 'spent';
  return null;
}

/** `budget: 2,200 tokens spent of --budget 1,500`. */
function budgetMessage(manifest: Manifest): string {
  const { budgetTokens, budgetUsd } = manifest.options;
  const totals = runTotals(manifest);
  const parts: string[] = [];
  if (budgetTokens !== undefined) parts.push(`${totals.tokens} tokens spent of --budget ${budgetTokens}`);
  if (budgetUsd !== undefined) parts.push(`$${(totals.costUsd ?? 0).toFixed(4)} spent of --budget-usd ${budgetUsd}`);
  return `budget: ${parts.join(', ')}`;
}

/** Whether a worker may change the project's own files (a writer outside a worktree of its own). */
function writesInPlace(worker: PlannedWorker): boolean {
  return worker.spec.sandbox === 'workspace-write' && !worker.spec.worktree;
}

async function execute(plan: RunPlan, options: StartRunOptions, key: Buffer | null): Promise<RunResult> {
  const { runDir, manifest } = plan;
  const settings = manifest.options;
  const stop = new RunStop();
  const onAbort = (): void => stop.stop({ kind: 'user' });
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const live = new Set<number>();
  // A runner dying of an uncaught error must not leave its detached workers behind.
  const endLive = (): void => {
    for (const pid of live) signalTree(pid, 'SIGKILL');
  };
  process.once('exit', endLive);
  // The manifest is the run's record: when it cannot be written (a full disk), the run stops.
  // Also what failed the run as a whole after its workers (a merge of nothing, or unwritable).
  let runError: string | null = null;
  let reserve: SpaceReserve | undefined;
  // Set when a worker found the model out of reach: workers of that endpoint would only wait too.
  let unreachable: string | null = null;
  const save = (): void => {
    try {
      writeManifest(runDir, manifest, key);
    } catch (error) {
      runError ??= diskErrorMessage(error, join(runDir, manifestFile));
      stop.stop({ kind: 'run-error', message: runError });
      // A full disk: the space set aside lets the record say so (and, at the end, how it ended).
      if (isDiskFull(error) && reserve?.release() === true) save();
    }
  };
  const records = new Map(manifest.workers.map((w) => [w.id, w]));
  const recordOf = (worker: PlannedWorker): WorkerRecord => records.get(worker.spec.id) as WorkerRecord;

  try {
    // Workers of a runner that died may still run (they are detached): end them first, or a
    // resumed writer could run beside its own orphan.
    for (const { pid, marker, mark } of plan.stale) await endStaleWorker(pid, marker, mark, 2000);
    try {
      mkdirSync(runDir, { recursive: true });
      reserve = reserveSpace(runDir);
      // Every prompt is on disk before anything runs, so that --resume finds them all.
      if (!plan.resumed) for (const worker of plan.workers) writeFileAtomic(openWorkerFolder(runDir, worker.spec.id).prompt, worker.spec.prompt);
    } catch (error) {
      // A run folder that cannot be written: nothing starts, the result says why.
      runError ??= diskErrorMessage(error, (error as NodeJS.ErrnoException).path ?? runDir);
      stop.stop({ kind: 'run-error', message: runError });
    }
    save();
    // The budget: once it is spent nothing new starts; once it is exceeded the running stop too.
    const onSpend = (): void => {
      if (manifest.stopped) {
        if (overBudget(manifest) === 'exceeded') stop.stop({ kind: 'budget', message: manifest.stopped.detail });
        return;
      }
      const state = overBudget(manifest);
      if (state === null) return;
      manifest.stopped = { reason: 'budget', detail: budgetMessage(manifest) };
      if (state === 'exceeded') stop.stop({ kind: 'budget', message: manifest.stopped.detail });
      save();
    };
    onSpend();
    const context: WorkerRunContext = {
      runDir,
      manifest,
      settings,
      env: options.env,
      templates: plan.templates,
      stop,
      killSignal: options.killSignal,
      live,
      save,
      onSpend,
      onUnreachable: (error) => {
        unreachable ??= error;
      },
      endpoint: options.endpoint,
      onProgress: (record, activity) => options.onProgress?.(record, activity),
    };
    // Stages with a result that is new in this session: every worker that receives one runs
    // again, even if it succeeded before (on --resume, a merge or a verifier must see the
    // recovered answer; a run succeeds only when every later stage saw its input).
    const changed = new Set<string>();
    await pumpStages(plan.workers, {
      maxParallel: settings.maxParallel,
      signal: stop.signal,
      mayStart: () => manifest.stopped === undefined && unreachable === null,
      stageOf: (worker) => worker.spec.stage,
      select: (stageWorkers) => stageWorkers.filter((w) => recordOf(w).status !== 'succeeded' || (w.spec.inputs?.stages.some((s) => changed.has(s)) ?? false)),
      // Many readers, one writer: an editing worker waits for any running writer on its paths,
      // unless one of them works in a worktree of its own.
      conflicts: (a, b) => writesInPlace(a) && writesInPlace(b) && pathsOverlap(a.spec, b.spec),
      run: async (worker) => {
        await runWorker(worker.spec, recordOf(worker), context);
        if (recordOf(worker).status === 'succeeded') changed.add(worker.spec.stageName);
      },
    });
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    process.off('exit', endLive);
  }

  const canceled = stop.cause?.kind === 'user';
  for (const worker of manifest.workers) {
    if (worker.status === 'pending' || worker.status === 'running') {
      worker.status = 'canceled';
      worker.error ??= manifest.stopped ? `not started: ${manifest.stopped.detail}` : unreachable !== null ? `not started: another worker found the model out of reach (${unreachable})` : stoppedMessage(stop.cause, false);
    }
  }
  manifest.status = runStatusOf(manifest.workers, canceled);
  if (runError !== null && manifest.status === 'succeeded') manifest.status = 'failed';
  manifest.finishedAt = new Date().toISOString();
  save();
  if (settings.merge && settings.structured && !canceled) {
    try {
      const merged = mergeStructured(runDir, manifest, new Map(plan.workers.map((w) => [w.spec.id, w.spec.outputSchema])));
      manifest.merged = writeMerged(runDir, merged);
      if (merged.workers.length === 0) {
        // A merge of nothing is no result: the run fails and says why.
        manifest.status = 'failed';
        runError ??= `--merge: nothing to merge, no worker returned a valid structured result (see ${join(runDir, manifest.merged)})`;
      }
    } catch (error) {
      runError ??= diskErrorMessage(error, (error as NodeJS.ErrnoException).path ?? join(runDir, 'merged.json'));
      manifest.status = 'failed';
    }
    save();
  }
  reserve?.release();
  return { runDir, status: manifest.status, canceled, manifest, error: runError };
}

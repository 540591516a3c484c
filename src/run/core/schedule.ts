import { pathsOverlap } from '../plan/overlap.js';
import type { PlannedWorker } from '../plan/plan-workers.js';
import type { RunPlan } from '../plan/run-plan.js';
import { runWorker } from './run-worker.js';
import { pumpStages } from './stage-pump.js';
import type { WorkerContext } from './worker-context.js';

/** Whether a worker may change the project's own files (a writer its executor does not set apart). */
function writesInPlace(worker: PlannedWorker, context: WorkerContext): boolean {
  return worker.spec.sandbox === 'workspace-write' && context.executorOf(worker.spec.executor.kind).setsApart?.(worker.spec) !== true;
}

/**
 * Run the plan's workers stage by stage: in a stage, those that have not succeeded yet, and
 * those that receive a stage whose result is new in this session (on a resume, a merge or a
 * verifier must see the recovered answer: a run succeeds only when every later stage saw its
 * input); up to `max-parallel` at once, never two writers on overlapping paths in place.
 * Nothing new starts once `mayStart` says no (the budget, a model out of reach).
 */
export async function scheduleWorkers(plan: RunPlan, context: WorkerContext, mayStart: () => boolean): Promise<void> {
  const { manifest } = context;
  const statusOf = (worker: PlannedWorker): string | undefined => manifest.workers.find((w) => w.id === worker.spec.id)?.status;
  const changed = new Set<string>();
  await pumpStages(plan.workers, {
    maxParallel: manifest.options.maxParallel,
    signal: context.stop.signal,
    mayStart,
    stageOf: (worker) => worker.spec.stage,
    select: (stage) => stage.filter((w) => statusOf(w) !== 'succeeded' || (w.spec.inputs?.stages.some((s) => changed.has(s)) ?? false)),
    conflicts: (a, b) => writesInPlace(a, context) && writesInPlace(b, context) && pathsOverlap(a.spec, b.spec),
    run: async (worker) => {
      await runWorker(worker.spec, context);
      if (statusOf(worker) === 'succeeded') changed.add(worker.spec.stageName);
    },
  });
}

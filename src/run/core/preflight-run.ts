import type { RunPlan } from '../plan/run-plan.js';

/** What {@link preflightRun} found. */
export interface RunPreflight {
  /** Why the run cannot start here, with the fixes, in one line; null when it can. */
  message: string | null;
  /** The model endpoint local workers use, when known. */
  endpoint: string | undefined;
}

/**
 * Before any worker starts: ask each executor the run uses whether its workers could work here
 * (the local one: network in a Codex sandbox, the model endpoint, a writable run folder). What
 * would fail slowly or obscurely later is one line now.
 */
export async function preflightRun(plan: RunPlan, env: Readonly<Record<string, string | undefined>>): Promise<RunPreflight> {
  const kinds = new Set(plan.workers.map((w) => w.spec.executor.kind));
  const used = plan.kinds.executors.filter((e) => kinds.has(e.kind));
  const found = await Promise.all(used.map((e) => e.preflight?.({ settings: plan.manifest.options, runDir: plan.runDir, env })));
  const messages = found.flatMap((f) => (f?.message ? [f.message] : []));
  return { message: messages.length > 0 ? messages.join('; ') : null, endpoint: found.find((f) => f?.endpoint !== undefined)?.endpoint };
}

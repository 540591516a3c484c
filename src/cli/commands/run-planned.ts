import { checkReady } from '../../front/new-run.js';
import { startRun, type RunPlan, type RunResult } from '../../run/index.js';
import type { CliIo } from '../io.js';
import { program } from '../help.js';
import { reportWarning } from '../report-error.js';
import { dryRunJson, dryRunText } from '../views/run-dry-run.js';
import { createProgress } from '../views/run-progress.js';
import { safeLine } from '../views/safe-line.js';
import { summaryJson } from '../../front/run-view.js';
import { summaryText } from '../views/run-summary.js';

/** How to show a planned run. */
export interface ShowOptions {
  io: CliIo;
  format: string;
  dryRun: boolean;
}

/**
 * Show a planned run (`--dry-run`) or run it: check first that its workers could work here, then
 * start it with a live display, and end with the summary, what the executors have to say (cloud
 * tasks still running) and the exit code. Shared by `run` and `runs resume`.
 */
export async function runPlanned(plan: RunPlan, options: ShowOptions): Promise<number> {
  const { io, format } = options;
  for (const w of plan.workers) for (const warning of w.warnings) reportWarning(io, `${w.spec.id}: ${warning}`);
  if (options.dryRun) {
    io.stdout.write(format === 'json' ? `${JSON.stringify(dryRunJson(plan), null, 2)}\n` : dryRunText(plan));
    return 0;
  }
  // Stop before any worker starts when they could not work here (no network to the model, a
  // run folder that cannot be written); a dry run above needs neither.
  const result = await runWithProgress(plan, io, await checkReady(plan, io.env));
  io.stdout.write(format === 'json' ? `${JSON.stringify(summaryJson(result.runDir, result.manifest, result.status, result.error), null, 2)}\n` : summaryText(result.runDir, result.manifest, result.manifest.status, plan.kinds.executors));
  if (result.error !== null) io.stderr.write(`${program}: run: ${safeLine(result.error)}\n`);
  for (const executor of plan.kinds.executors) for (const line of executor.afterRun?.(result.manifest, result.runDir) ?? []) io.stderr.write(`${program}: ${safeLine(line)}\n`);
  if (result.canceled) return 130;
  return result.status === 'succeeded' ? 0 : 1;
}

/**
 * Run with a live display. The entry point owns the signals: Ctrl-C (`io.signal`) cancels the
 * run, a second one ends its workers at once, and so does the process exiting mid-run.
 */
async function runWithProgress(plan: RunPlan, io: CliIo, endpoint: string | undefined): Promise<RunResult> {
  const progress = await createProgress(io.stderr, plan.manifest.workers);
  const handle = startRun(plan, { env: io.env, ...(endpoint !== undefined ? { endpoint } : {}), onEvent: (event, manifest) => progress.update(event, manifest) });
  for (const warning of handle.warnings) reportWarning(io, warning);
  const onCancel = (): void => handle.cancel();
  const onKill = (): void => handle.kill();
  if (io.signal?.aborted) onCancel();
  io.signal?.addEventListener('abort', onCancel, { once: true });
  const unhooks = [io.onKill?.(onKill), io.onExit?.(onKill)];
  try {
    return await handle.wait();
  } finally {
    progress.stop();
    io.signal?.removeEventListener('abort', onCancel);
    for (const unhook of unhooks) unhook?.();
  }
}

import { join } from 'node:path';
import { diskErrorMessage } from '../record/disk-error.js';
import type { RunPlan } from '../plan/run-plan.js';
import { mergeStructured, writeMerged } from './merge.js';
import type { RunRecord } from './run-record.js';
import type { WorkerContext } from './worker-context.js';

/**
 * `--structured --merge`: merge the findings of every valid structured result without a model
 * (merged.json, merged.md). A merge of nothing is no result: the run fails and says why.
 */
export function mergeResults(plan: RunPlan, context: WorkerContext, record: RunRecord): void {
  const { runDir, manifest } = context;
  try {
    const merged = mergeStructured(runDir, manifest, new Map(plan.workers.map((w) => [w.spec.id, w.spec.outputSchema])));
    const file = writeMerged(runDir, merged);
    const nothing = merged.workers.length === 0;
    if (nothing) record.error ??= `--merge: nothing to merge, no worker returned a valid structured result (see ${join(runDir, file)})`;
    context.emit({ type: 'merged', file, nothing });
  } catch (error) {
    record.error ??= diskErrorMessage(error, (error as NodeJS.ErrnoException).path ?? join(runDir, 'merged.json'));
    manifest.status = 'failed';
    record.save();
  }
}

import { UserError } from '../errors/index.js';
import { formatSize } from '../fs/read-bounded.js';
import type { Plan } from '../run/index.js';
import { limits } from './limits.js';

/**
 * A plan's data no larger than a plan file may be.
 *
 * @throws {UserError} `plan-invalid`, as for a plan file too large to read.
 */
export function checkPlanSize(data: unknown, where: string): void {
  const bytes = Buffer.byteLength(JSON.stringify(data) ?? '');
  if (bytes > limits.planBytes) throw new UserError('plan-invalid', `${where}: the plan is ${formatSize(bytes)} as JSON, more than a plan may be (${formatSize(limits.planBytes)})`, { data: { limit: limits.planBytes } });
}

/**
 * No more workers in one run than this server starts.
 *
 * @throws {UserError} `mcp-refused`.
 */
export function checkWorkerCount(plan: Plan, where: string): void {
  const count = plan.stages.reduce((sum, stage) => sum + stage.workers.length, 0);
  if (count > limits.workersPerRun) {
    throw new UserError('mcp-refused', `${where}: the plan has ${count} workers, more than this server runs in one run (${limits.workersPerRun}); split it into several runs`, { data: { limit: limits.workersPerRun } });
  }
}

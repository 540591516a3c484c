import type { WorkerSpec } from '../model.js';
import type { Executor } from './executor.js';
import { localExecutor } from './local.js';

/** The executor that runs a worker (local only, for now). */
export function executorFor(_spec: WorkerSpec): Executor {
  return localExecutor;
}

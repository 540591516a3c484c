import { cloudExecutor } from '../cloud/cloud-executor.js';
import type { WorkerSpec } from '../record/model.js';
import type { Executor } from './executor.js';
import { localExecutor } from '../local/local-executor.js';

/** The executor that runs a worker: its spec says cloud, else local. */
export function executorFor(spec: Pick<WorkerSpec, 'executor'>): Executor {
  return spec.executor?.kind === 'cloud' ? cloudExecutor : localExecutor;
}

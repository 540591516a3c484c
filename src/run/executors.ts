import { cloudExecutor } from './cloud/cloud-executor.js';
import type { Executor } from './executor/executor.js';
import { localExecutor } from './local/local-executor.js';

/**
 * Every executor a run can use. Adding one is its own folder and one line here: the core plans,
 * schedules, retries and records through the Executor interface alone.
 */
export const executors: readonly Executor[] = [localExecutor as Executor, cloudExecutor as Executor];

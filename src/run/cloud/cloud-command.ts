import type { CloudExecutor, CloudRecord, WorkerRecord } from '../record/model.js';

/** The `codex cloud exec` command line of a cloud worker, as recorded (the prompt goes on stdin). */
export function cloudExecArgs(executor: Pick<CloudExecutor, 'env' | 'attempts' | 'branch'>): string[] {
  const args = ['cloud', 'exec', '--env', executor.env, '--attempts', String(executor.attempts)];
  if (executor.branch !== undefined) args.push('--branch', executor.branch);
  args.push('-');
  return args;
}

/** A new cloud worker's record of where it runs (no task sent yet). */
export function newCloudRecord(executor: CloudExecutor): CloudRecord {
  return { env: executor.env, attempts: executor.attempts, branch: executor.branch ?? null, tasks: [] };
}

/** The executor a recorded cloud worker runs with again (`--resume`); undefined for a local one. */
export function executorOfRecord(record: Pick<WorkerRecord, 'executor' | 'cloud'>): CloudExecutor | undefined {
  if (record.executor !== 'cloud' || record.cloud === undefined) return undefined;
  const { env, attempts, branch } = record.cloud;
  return { kind: 'cloud', env, attempts, ...(branch !== null ? { branch } : {}) };
}

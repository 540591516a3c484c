import type { AttemptRecord, ExecutorRecord, Manifest, RunStatus, StructuredCheck, TokenUsage, Violation, WorkerRecord, WorkerStatus } from './model.js';
import { addUsage, attemptsCost } from './usage.js';

/** How an attempt ended, as the record keeps it. */
export interface AttemptEnd {
  outcome: AttemptRecord['outcome'];
  exitCode: number | null;
  error: string | null;
  usage: TokenUsage | null;
  durationMs: number;
  violations: readonly Violation[];
  modelUsed?: string;
}

/**
 * Everything that happens to a run, as the run tells it: the one way its manifest changes
 * ({@link applyRunEvent}), and what a front end (the CLI's live lines, an MCP client) follows.
 */
export type RunEvent =
  | { type: 'prepared'; worker: string; prompt?: { hash: string; bytes: number } }
  | { type: 'skipped'; worker: string; error: string }
  | { type: 'attempt-started'; worker: string; at: string }
  | { type: 'pid'; worker: string; pid: number | null }
  | { type: 'progress'; worker: string; threadId: string | null; usage: TokenUsage | null; activity: string }
  | { type: 'activity'; worker: string; text: string }
  | { type: 'executor'; worker: string; record: ExecutorRecord }
  | { type: 'attempt-ended'; worker: string; at: string; end: AttemptEnd }
  | { type: 'worker-ended'; worker: string; status: Exclude<WorkerStatus, 'pending' | 'running'>; error: string | null; structured?: StructuredCheck }
  | { type: 'budget-spent'; detail: string }
  | { type: 'run-ended'; at: string; status: RunStatus; notStarted: string }
  | { type: 'merged'; file: string; nothing: boolean };

/** The worker of an event, failing loudly on a bug (an event for no such worker). */
function workerOf(manifest: Manifest, id: string): WorkerRecord {
  const found = manifest.workers.find((w) => w.id === id);
  if (!found) throw new Error(`run event for unknown worker \`${id}\``);
  return found;
}

/** Fold one event into the manifest: the only place a run's record changes while it runs. */
export function applyRunEvent(manifest: Manifest, event: RunEvent): void {
  switch (event.type) {
    case 'budget-spent':
      manifest.stopped = { reason: 'budget', detail: event.detail };
      return;
    case 'run-ended':
      endRun(manifest, event);
      return;
    case 'merged':
      manifest.merged = event.file;
      if (event.nothing) manifest.status = 'failed';
      return;
    default:
      applyWorkerEvent(manifest, workerOf(manifest, event.worker), event);
  }
}

function applyWorkerEvent(manifest: Manifest, record: WorkerRecord, event: Exclude<RunEvent, { type: 'budget-spent' | 'run-ended' | 'merged' }>): void {
  const last = record.attempts.at(-1);
  switch (event.type) {
    case 'prepared':
      delete record.structured;
      if (event.prompt) Object.assign(record, { promptHash: event.prompt.hash, promptBytes: event.prompt.bytes });
      return;
    case 'skipped':
      Object.assign(record, { status: 'canceled', error: event.error });
      return;
    case 'attempt-started': {
      const attempt: AttemptRecord = { n: record.attempts.length + 1, startedAt: event.at, finishedAt: null, durationMs: null, exitCode: null, outcome: 'running', error: null };
      record.attempts.push(attempt);
      Object.assign(record, { status: 'running', startedAt: record.attempts[0]?.startedAt ?? event.at, finishedAt: null, exitCode: null, error: null });
      return;
    }
    case 'pid':
      record.pid = event.pid;
      return;
    case 'progress':
      record.threadId = event.threadId;
      if (last) last.usage = event.usage;
      spent(manifest, record);
      return;
    case 'activity':
      return;
    case 'executor':
      record.executor = event.record;
      return;
    case 'attempt-ended':
      endAttempt(manifest, record, event.at, event.end);
      return;
    case 'worker-ended':
      endWorker(record, event);
      return;
  }
}

/** What every attempt has spent, and at what estimated cost (each at the model it ran). */
function spent(manifest: Manifest, record: WorkerRecord): void {
  record.usage = record.attempts.reduce<TokenUsage | null>((sum, a) => addUsage(sum, a.usage ?? null), null);
  record.costUsd = attemptsCost(record.attempts, record.model, manifest.options.prices);
}

function endAttempt(manifest: Manifest, record: WorkerRecord, at: string, end: AttemptEnd): void {
  const attempt = record.attempts.at(-1);
  if (attempt === undefined) return;
  Object.assign(attempt, { finishedAt: at, durationMs: end.durationMs, exitCode: end.exitCode, outcome: end.outcome, error: end.error, usage: end.usage });
  // Known only now: the cost is estimated again at the model the attempt ran.
  if (end.modelUsed !== undefined) attempt.modelUsed = record.modelUsed = end.modelUsed;
  if (end.violations.length > 0) (record.violations ??= []).push(...end.violations.map((v) => ({ ...v, attempt: attempt.n })));
  record.pid = null;
  record.error = end.error;
  spent(manifest, record);
}

function endWorker(record: WorkerRecord, event: Extract<RunEvent, { type: 'worker-ended' }>): void {
  const last = record.attempts.at(-1);
  record.status = event.status;
  record.exitCode = last?.exitCode ?? null;
  record.error = event.error;
  record.pid = null;
  record.finishedAt = last?.finishedAt ?? new Date().toISOString();
  // The time shown covers every attempt, earlier runs included.
  record.durationMs = record.attempts.length === 0 ? null : record.attempts.reduce((sum, a) => sum + (a.durationMs ?? 0), 0);
  if (event.structured) record.structured = event.structured;
  // A worker failed after its last attempt (no final message, a broken result, its worktree):
  // that attempt failed, for that reason.
  if (last && event.status === 'failed' && (last.outcome === 'succeeded' || last.outcome === 'running')) Object.assign(last, { outcome: 'failed', error: event.error, finishedAt: last.finishedAt ?? record.finishedAt });
}

function endRun(manifest: Manifest, event: Extract<RunEvent, { type: 'run-ended' }>): void {
  for (const worker of manifest.workers) {
    if (worker.status !== 'pending' && worker.status !== 'running') continue;
    const running = worker.attempts.at(-1);
    if (running?.outcome === 'running') Object.assign(running, { outcome: 'canceled', error: event.notStarted, finishedAt: event.at });
    Object.assign(worker, { status: 'canceled', pid: null });
    worker.error ??= event.notStarted;
  }
  manifest.status = event.status;
  manifest.finishedAt = event.at;
}

import { setTimeout as delay } from 'node:timers/promises';
import type { AttemptResult, Executor } from '../executor/executor.js';
import type { WorkerSpec } from '../record/model.js';
import type { WorkerPaths } from '../record/worker-files.js';
import { durationRanges } from '../settings/duration.js';
import type { WorkerContext } from './worker-context.js';

/** What {@link runAttempts} needs beside the worker. */
export interface AttemptsInput {
  executor: Executor;
  paths: WorkerPaths;
  context: WorkerContext;
}

/**
 * Attempt a worker until it ends: retry a failure that looks transient (`retries`), waiting the
 * retry delay, doubled each time (at most an hour). Every attempt is recorded as it starts,
 * progresses and ends. Returns how the last one ended.
 */
export async function runAttempts(spec: WorkerSpec, input: AttemptsInput): Promise<AttemptResult> {
  const { context } = input;
  const settings = context.manifest.options;
  let result: AttemptResult | undefined;
  for (let retry = 0; retry <= settings.retries; retry++) {
    if (retry > 0) {
      const wait = Math.min(settings.retryDelayMs * 2 ** (retry - 1), durationRanges.retryDelay.max);
      await delay(wait, undefined, { signal: context.stop.signal }).catch(() => undefined);
      if (context.stop.signal.aborted) return { ...(result as AttemptResult), outcome: 'canceled', error: 'canceled while waiting to retry', transient: false };
    }
    result = await attemptOnce(spec, input, retry);
    const retrying = result.outcome === 'failed' && result.transient && retry < settings.retries && !context.stop.signal.aborted;
    // A model out of reach for one worker is out of reach for the others: none more starts.
    if (result.unreachable === true && !retrying) context.unreachable(result.error ?? 'model unreachable');
    if (!retrying) break;
  }
  return result as AttemptResult;
}

/** One attempt through the worker's executor, its course told as events. */
async function attemptOnce(spec: WorkerSpec, input: AttemptsInput, retry: number): Promise<AttemptResult> {
  const { context, executor, paths } = input;
  const { stop } = context;
  context.emit({ type: 'attempt-started', worker: spec.id, at: new Date().toISOString() });
  context.emit({ type: 'activity', worker: spec.id, text: retry > 0 ? `retry ${retry}` : 'starting' });
  // The budget cancels the workers still spending; one whose turn is complete has already spent
  // its tokens, and its answer is what they paid for.
  let turnDone = false;
  const own = new AbortController();
  const onStop = (): void => {
    if (!(stop.cause?.kind === 'budget' && turnDone)) own.abort();
  };
  if (stop.signal.aborted) onStop();
  else stop.signal.addEventListener('abort', onStop, { once: true });
  const record = context.manifest.workers.find((w) => w.id === spec.id);
  if (!record) throw new Error(`no record of worker \`${spec.id}\``);
  const attempt = record.attempts.at(-1);
  if (!attempt) throw new Error(`no attempt of worker \`${spec.id}\``);
  try {
    const result = await executor.attempt({
      spec,
      project: context.manifest.cwd,
      record,
      attempt,
      paths,
      settings: context.manifest.options,
      env: context.env,
      ...(context.endpoint !== undefined ? { endpoint: context.endpoint } : {}),
      signal: own.signal,
      killSignal: context.killSignal,
      scope: context.scope,
      report: {
        pid: (pid) => context.emit({ type: 'pid', worker: spec.id, pid }),
        progress: ({ threadId, usage, activity }) => {
          if (usage !== null) turnDone = true;
          context.emit({ type: 'progress', worker: spec.id, threadId, usage, activity });
        },
        activity: (text) => context.emit({ type: 'activity', worker: spec.id, text }),
        record: (executorRecord) => context.emit({ type: 'executor', worker: spec.id, record: executorRecord }),
      },
    });
    const { outcome, exitCode, error, usage, durationMs, violations } = result;
    context.emit({ type: 'attempt-ended', worker: spec.id, at: new Date().toISOString(), end: { outcome, exitCode, error, usage, durationMs, violations, ...(result.modelUsed !== undefined ? { modelUsed: result.modelUsed } : {}) } });
    return result;
  } finally {
    stop.signal.removeEventListener('abort', onStop);
  }
}

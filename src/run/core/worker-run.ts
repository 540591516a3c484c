import { rmSync } from 'node:fs';
import { join, normalize, relative } from 'node:path';
import { fileReadFailure } from '../../fs/read-bounded.js';
import { writeFileAtomic } from '../../fs/write-atomic.js';
import type { TemplateSet } from '../../templates/model.js';
import { diskErrorMessage } from '../record/disk-error.js';
import { durationRanges } from '../settings/duration.js';
import { hasVisibleText } from '../../text/visible.js';
import type { EventState } from '../local/events.js';
import { schemaText, sha256 } from '../record/manifest.js';
import { addUsage, attemptsCost, tokensOf } from '../cost/usage.js';
import type { AttemptRecord, Manifest, RunSettings, TokenUsage, WorkerRecord, WorkerSpec } from '../record/model.js';
import { RunStop, stoppedMessage } from './run-stop.js';
import { sleep } from './abortable-sleep.js';
import { executorFor } from '../executor/executor-for.js';
import type { AttemptResult } from '../local/spawn-worker.js';
import { checkStructured } from './structured.js';
import { finalMessageToPassOn, openWorkerFolder, readWorkerText } from '../record/worker-files.js';
import { receivedBlock, renderRecipe } from '../plan/worker-prompt.js';
import { createWorktree, finishWorktree } from '../local/worktree/lifecycle.js';
import { defaultPoolSize } from '../local/worktree/pool.js';

/** A final message larger than this is not passed on to a later stage (a prompt has a budget anyway). */
/** Larger final messages are refused as not an answer (a model does not write 64 MB answers). */
const maxFinalMessageBytes = 64 * 1024 * 1024;

/** What one worker's run needs from the run that owns it. */
export interface WorkerRunContext {
  runDir: string;
  manifest: Manifest;
  settings: RunSettings;
  env: Readonly<Record<string, string | undefined>>;
  /** The model endpoint local workers use, for messages. */
  endpoint: string | undefined;
  /** For rendering the prompt of a worker that receives earlier results. */
  templates: TemplateSet | undefined;
  /** Stops the run's workers (Ctrl-C, `--fail-fast`, a manifest that cannot be written). */
  stop: RunStop;
  /** Ends running workers at once, without the grace period. */
  killSignal: AbortSignal | undefined;
  /** Process group leaders of the run's workers while they run. */
  live: Set<number>;
  /** Record the manifest (never throws). */
  save(): void;
  /** Called when a worker's usage changed (the run checks its budget). */
  onSpend(): void;
  /** Called when a worker found the model out of reach (no other worker should start). */
  onUnreachable(error: string): void;
  onProgress(record: WorkerRecord, activity: string): void;
}

/**
 * Run one worker to its end: render its prompt (with the earlier stages' final messages when it
 * receives them), write its files, then attempt it, retrying failures that look transient with
 * a doubling delay, and record the outcome. A failure is recorded, never thrown.
 */
export async function runWorker(spec: WorkerSpec, record: WorkerRecord, context: WorkerRunContext): Promise<void> {
  try {
    await attemptWorker(spec, record, context);
  } catch (error) {
    // A bug or a disk error must fail this worker, not hang the stage.
    const { path } = error as NodeJS.ErrnoException;
    record.status = 'failed';
    record.pid = null;
    record.error = path !== undefined ? diskErrorMessage(error, path) : `runner error: ${error instanceof Error ? error.message : String(error)}`;
    record.finishedAt = new Date().toISOString();
    const last = record.attempts.at(-1);
    if (last?.outcome === 'running') Object.assign(last, { outcome: 'failed', error: record.error, finishedAt: record.finishedAt });
    context.save();
    context.onProgress(record, record.status);
  }
}

async function attemptWorker(spec: WorkerSpec, record: WorkerRecord, context: WorkerRunContext): Promise<void> {
  const { runDir, settings, manifest } = context;
  const paths = openWorkerFolder(runDir, spec.id);
  // Codex writes the answer through whatever is there: a link left in its place goes first.
  rmSync(paths.lastMessage, { force: true });
  delete record.structured;
  if (spec.inputs) {
    const wanted = spec.inputs.stages;
    if (!manifest.workers.some((w) => wanted.includes(w.stageName) && w.status === 'succeeded')) {
      // Nothing to work from: running it would only spend tokens on an empty input.
      record.status = 'canceled';
      record.error = `not started: no final message from ${wanted.map((s) => `\`${s}\``).join(', ')}`;
      context.save();
      context.onProgress(record, record.status);
      return;
    }
    if (context.templates === undefined) throw new Error(`no templates to render \`${spec.id}\` with`);
    spec.prompt = renderRecipe(spec.inputs.recipe, context.templates, undefined, spec.inputs, receivedBy(spec, context)).prompt;
    record.promptHash = sha256(spec.prompt);
    record.promptBytes = Buffer.byteLength(spec.prompt);
  }
  writeFileAtomic(paths.prompt, spec.prompt);
  if (spec.outputSchema) writeFileAtomic(paths.schema, schemaText(spec.outputSchema));
  const { stop } = context;
  const tree = record.worktree;
  let treeReady = false;
  if (tree && !stop.signal.aborted) {
    const created = await createWorktree(tree, { env: context.env, runDir });
    if (!created.ok) {
      tree.error = created.error;
      record.status = 'failed';
      record.error = created.error;
      record.finishedAt = new Date().toISOString();
      context.save();
      context.onProgress(record, record.status);
      return;
    }
    treeReady = true;
    context.save();
  }

  let result: AttemptResult | undefined;
  for (let retry = 0; retry <= settings.retries; retry++) {
    if (retry > 0 && !(await sleep(Math.min(settings.retryDelayMs * 2 ** (retry - 1), durationRanges.retryDelay.max), stop.signal))) {
      result = { ...(result as AttemptResult), outcome: 'canceled', error: 'canceled while waiting to retry', transient: false };
      break;
    }
    // What earlier attempts (and earlier runs of --resume) spent counts too.
    const spentBefore = record.attempts.reduce<TokenUsage | null>((sum, a) => addUsage(sum, a.usage ?? null), null);
    const attempt: AttemptRecord = { n: record.attempts.length + 1, startedAt: new Date().toISOString(), finishedAt: null, durationMs: null, exitCode: null, outcome: 'running', error: null };
    record.attempts.push(attempt);
    record.status = 'running';
    record.startedAt = (record.attempts[0] as AttemptRecord).startedAt;
    record.finishedAt = null;
    record.exitCode = null;
    record.error = null;
    context.onProgress(record, retry > 0 ? `retry ${retry}` : 'starting');
    // A budget cancels the workers still spending; one whose turn is complete has already spent
    // its tokens, and its answer is what they paid for.
    let turnDone = false;
    const own = new AbortController();
    const onStop = (): void => {
      if (!(stop.cause?.kind === 'budget' && turnDone)) own.abort();
    };
    if (stop.signal.aborted) onStop();
    else stop.signal.addEventListener('abort', onStop, { once: true });
    result = await executorFor(spec).attempt({
      spec,
      record,
      attempt,
      paths,
      settings,
      env: context.env,
      ...(context.endpoint !== undefined ? { endpoint: context.endpoint } : {}),
      signal: own.signal,
      ...(context.killSignal ? { killSignal: context.killSignal } : {}),
      save: context.save,
      onSpawn(pid) {
        record.pid = pid;
        context.live.add(pid);
        context.save();
      },
      onEvent(state: EventState, important: boolean) {
        record.threadId = state.threadId;
        const usage = addUsage(spentBefore, state.usage);
        const spent = usage !== record.usage && state.usage !== null && tokensOf(usage) !== tokensOf(record.usage);
        record.usage = usage;
        attempt.usage = state.usage;
        record.costUsd = attemptsCost(record.attempts, record.model, settings.prices);
        if (state.usage !== null) turnDone = true;
        if (important) context.save();
        context.onProgress(record, state.activity);
        if (spent) context.onSpend();
      },
      onActivity: (activity) => context.onProgress(record, activity),
    });
    stop.signal.removeEventListener('abort', onStop);
    if (record.pid !== null) context.live.delete(record.pid);
    record.pid = null;
    Object.assign(attempt, { finishedAt: new Date().toISOString(), durationMs: result.durationMs, exitCode: result.exitCode, outcome: result.outcome, error: result.error, usage: result.state.usage });
    if (result.modelUsed !== undefined) {
      // Known only now: the cost is estimated again at the model the attempt ran.
      attempt.modelUsed = record.modelUsed = result.modelUsed;
      record.costUsd = attemptsCost(record.attempts, record.model, settings.prices);
    }
    if (result.violations.length > 0) (record.violations ??= []).push(...result.violations.map((v) => ({ ...v, attempt: attempt.n })));
    if (result.unreachable === true && !(result.outcome === 'failed' && result.transient && retry < settings.retries)) context.onUnreachable(result.error ?? 'model unreachable');
    if (result.outcome !== 'failed' || !result.transient || stop.signal.aborted) break;
    record.error = result.error;
    context.save();
  }
  const outcome = result as AttemptResult;
  const last = record.attempts.at(-1);
  record.status = outcome.outcome;
  record.exitCode = outcome.exitCode;
  record.error = outcome.outcome === 'canceled' ? stoppedMessage(stop.cause, true) : outcome.error;
  record.finishedAt = last?.finishedAt ?? new Date().toISOString();
  // The time shown covers every attempt, earlier runs of --resume included.
  record.durationMs = record.attempts.reduce((sum, a) => sum + (a.durationMs ?? 0), 0);
  const fail = (error: string): void => {
    record.status = 'failed';
    record.error = error;
    if (last) Object.assign(last, { outcome: 'failed', error });
  };
  if (record.status === 'succeeded') {
    // Exit 0 proves nothing: a worker succeeded only if it left a final message.
    const missing = missingFinalMessage(runDir, spec.id);
    if (missing !== null) fail(missing);
  }
  if (record.status === 'succeeded' && spec.outputSchema) {
    record.structured = checkStructured(runDir, spec.id, spec.outputSchema);
    if (!record.structured.valid) fail(`final message does not match the output schema of \`${spec.role}\`: ${record.structured.errors.slice(0, 3).join('; ')}`);
  }
  if (tree && treeReady) {
    // Also after a timeout or Ctrl-C: what the worker wrote is kept on its branch, and no lock
    // of a killed git command stays behind.
    // The worker's paths, from its folder inside the worktree to the repository's top.
    const below = relative(tree.path, spec.cwd);
    const paths = spec.paths.map((path) => normalize(join(below, path)).replace(/^\.$/, '').replace(/\/$/, ''));
    const finished = await finishWorktree(tree, { env: context.env, message: `orch-prompt: ${spec.id} (${spec.role}) in run ${manifest.id}`, poolSize: settings.worktreePool ?? defaultPoolSize, paths });
    if (!finished.ok) {
      tree.error = finished.error;
      if (record.status === 'succeeded') fail(finished.error);
    }
  }
  if ((record.status === 'failed' || record.status === 'timed-out') && settings.failFast) stop.stop({ kind: 'fail-fast' });
  context.save();
  context.onProgress(record, record.status);
}

/** Why a worker that exited 0 has no final message, or null when it has one. */
function missingFinalMessage(runDir: string, id: string): string | null {
  let text: string;
  try {
    text = readWorkerText(runDir, id, 'lastMessage', maxFinalMessageBytes, 'a final message');
  } catch (error) {
    const failure = fileReadFailure(error);
    if (!failure) throw error;
    return failure.kind === 'not-found' ? 'no final message: codex exited 0 but wrote no last-message.md' : `no usable final message: ${(error as Error).message}`;
  }
  if (text.trim() === '') return 'no final message: codex exited 0 but last-message.md is empty';
  return hasVisibleText(text) ? null : 'no final message: codex exited 0 but last-message.md holds only invisible characters';
}

/** The final messages of the stages a worker receives, each under a heading naming its worker. */
function receivedBy(spec: WorkerSpec, context: WorkerRunContext): string {
  const wanted = new Set(spec.inputs?.stages ?? []);
  const blocks = context.manifest.workers
    .filter((w) => wanted.has(w.stageName) && w.status === 'succeeded')
    .map((w) => receivedBlock(w, finalMessageToPassOn(context.runDir, w.id)));
  return blocks.join('\n\n');
}

import { rmSync } from 'node:fs';
import { writeFileAtomic } from '../../fs/write-atomic.js';
import type { Executor, Isolated } from '../executor/executor.js';
import { diskErrorMessage } from '../record/disk-error.js';
import { schemaText, sha256 } from '../record/manifest.js';
import type { WorkerRecord, WorkerSpec } from '../record/model.js';
import { finalMessageToPassOn, openWorkerFolder, type WorkerPaths } from '../record/worker-files.js';
import { receivedBlock, renderRecipe } from '../plan/worker-prompt.js';
import { runAttempts } from './attempts.js';
import { stoppedMessage } from './run-stop.js';
import { verifyResult } from './verify.js';
import type { WorkerContext } from './worker-context.js';

/**
 * Run one worker to its end, as a pipeline: prepare (its prompt, with the earlier stages' final
 * messages when it receives them, and its files), isolate (its executor sets it apart, when it
 * does), execute (attempts, retrying failures that look transient), verify (a result proves the
 * success) and finish (its executor ends the isolation). Every change is an event; a failure is
 * recorded, never thrown.
 */
export async function runWorker(spec: WorkerSpec, context: WorkerContext): Promise<void> {
  try {
    await pipeline(spec, context);
  } catch (error) {
    // A bug or a disk error must fail this worker, not hang the stage.
    const { path } = error as NodeJS.ErrnoException;
    const message = path !== undefined ? diskErrorMessage(error, path) : `runner error: ${error instanceof Error ? error.message : String(error)}`;
    context.emit({ type: 'worker-ended', worker: spec.id, status: 'failed', error: message });
  }
}

async function pipeline(spec: WorkerSpec, context: WorkerContext): Promise<void> {
  const record = recordOf(spec, context);
  const paths = prepare(spec, context);
  if (paths === null) return;
  const executor = context.executorOf(spec.executor.kind);
  const isolated = await isolate(executor, spec, record, context);
  if (isolated === null) return;
  const outcome = await runAttempts(spec, { executor, paths, context });
  let error = outcome.outcome === 'canceled' ? stoppedMessage(context.stop.cause, true) : outcome.error;
  let status = outcome.outcome;
  let structured;
  if (status === 'succeeded') {
    const verified = verifyResult(context.runDir, spec);
    structured = verified.structured;
    if (verified.error !== null) [status, error] = ['failed', verified.error];
  }
  // Also after a timeout or Ctrl-C: what the worker left is kept by its executor.
  const finished = await isolated.finish();
  if (!finished.ok && status === 'succeeded') [status, error] = ['failed', finished.error];
  context.emit({ type: 'worker-ended', worker: spec.id, status, error, ...(structured ? { structured } : {}) });
  if ((status === 'failed' || status === 'timed-out') && context.manifest.options.failFast) context.stop.stop({ kind: 'fail-fast' });
}

function recordOf(spec: WorkerSpec, context: WorkerContext): WorkerRecord {
  const record = context.manifest.workers.find((w) => w.id === spec.id);
  if (!record) throw new Error(`no record of worker \`${spec.id}\``);
  return record;
}

/**
 * Its prompt (rendered now when it receives earlier results) and files; null when it has
 * nothing to work from (no worker of the stages it receives succeeded): running it would only
 * spend tokens on an empty input.
 */
function prepare(spec: WorkerSpec, context: WorkerContext): WorkerPaths | null {
  const paths = openWorkerFolder(context.runDir, spec.id);
  // Codex writes the answer through whatever is there: a link left in its place goes first.
  rmSync(paths.lastMessage, { force: true });
  if (spec.inputs) {
    const wanted = spec.inputs.stages;
    if (!context.manifest.workers.some((w) => wanted.includes(w.stageName) && w.status === 'succeeded')) {
      context.emit({ type: 'skipped', worker: spec.id, error: `not started: no final message from ${wanted.map((s) => `\`${s}\``).join(', ')}` });
      return null;
    }
    if (context.templates === undefined) throw new Error(`no templates to render \`${spec.id}\` with`);
    spec.prompt = renderRecipe(spec.inputs.recipe, context.templates, undefined, spec.inputs, receivedBy(spec, context)).prompt;
    context.emit({ type: 'prepared', worker: spec.id, prompt: { hash: sha256(spec.prompt), bytes: Buffer.byteLength(spec.prompt) } });
    writeFileAtomic(paths.prompt, spec.prompt);
  } else context.emit({ type: 'prepared', worker: spec.id });
  // Any other prompt is on disk already: written when the run began, or checked against its
  // recorded hash when it was resumed.
  if (spec.outputSchema) writeFileAtomic(paths.schema, schemaText(spec.outputSchema));
  return paths;
}

/** Set the worker apart when its executor does; null when that failed (and the worker with it). */
async function isolate(executor: Executor, spec: WorkerSpec, record: WorkerRecord, context: WorkerContext): Promise<Isolated | null> {
  const untouched: Isolated = { finish: async () => ({ ok: true }) };
  if (executor.isolate === undefined || context.stop.signal.aborted) return untouched;
  const isolated = await executor.isolate(spec, record, {
    runDir: context.runDir,
    env: context.env,
    scope: context.scope,
    settings: context.manifest.options,
    manifest: context.manifest,
    save: (executorRecord) => context.emit({ type: 'executor', worker: spec.id, record: executorRecord }),
  });
  if (!('error' in isolated)) return isolated;
  context.emit({ type: 'worker-ended', worker: spec.id, status: 'failed', error: isolated.error });
  return null;
}

/** The final messages of the stages a worker receives, each under a heading naming its worker. */
function receivedBy(spec: WorkerSpec, context: WorkerContext): string {
  const wanted = new Set(spec.inputs?.stages ?? []);
  return context.manifest.workers
    .filter((w) => wanted.has(w.stageName) && w.status === 'succeeded')
    .map((w) => receivedBlock(w, finalMessageToPassOn(context.runDir, w.id)))
    .join('\n\n');
}

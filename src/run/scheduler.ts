import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/write-atomic.js';
import { codexArgs, sandboxFor, type WorkerPaths } from './codex-args.js';
import type { EventState } from './events.js';
import { runStatusOf, writeManifest } from './manifest.js';
import type { Manifest, RunSettings, WorkerRecord, WorkerSpec } from './model.js';
import { pathsOverlap } from './overlap.js';
import { spawnWorker, type AttemptResult } from './spawn-worker.js';
import { checkStructured } from './structured.js';

/** A worker to run: its spec, plus how to render its prompt once earlier stages are done. */
export interface PlannedWorker {
  spec: WorkerSpec;
  /** Warnings from rendering its prompt (a prompt over the size budget). */
  warnings: string[];
  /** For workers that receive earlier stages' final messages: the prompt, given those. */
  renderWith?(received: string): string;
}

/** Options of {@link runWorkers}. */
export interface RunWorkersOptions {
  runDir: string;
  manifest: Manifest;
  workers: readonly PlannedWorker[];
  settings: RunSettings;
  env: Readonly<Record<string, string | undefined>>;
  /** Ctrl-C / SIGTERM. */
  signal?: AbortSignal;
  /** Time between SIGTERM and SIGKILL (default 5 s). */
  graceMs?: number;
  /** First retry delay, doubled on each retry (default 2 s). */
  retryDelayMs?: number;
  /** Live updates for the display. */
  onUpdate?(record: WorkerRecord, activity: string): void;
}

/** Result of {@link runWorkers}: the final manifest and whether the run was canceled. */
export interface RunOutcome {
  manifest: Manifest;
  canceled: boolean;
}

/** Relative file names inside a worker's folder. */
export function workerFiles(id: string): WorkerRecord['files'] {
  return { prompt: `${id}/prompt.md`, events: `${id}/events.jsonl`, stderr: `${id}/stderr.log`, lastMessage: `${id}/last-message.md` };
}

/** Absolute paths of a worker's files. */
export function workerPaths(runDir: string, id: string): WorkerPaths {
  const files = workerFiles(id);
  return {
    dir: join(runDir, id),
    prompt: join(runDir, files.prompt),
    events: join(runDir, files.events),
    stderr: join(runDir, files.stderr),
    lastMessage: join(runDir, files.lastMessage),
    schema: join(runDir, id, 'output-schema.json'),
  };
}

/** A fresh manifest record for a worker (status `pending`). */
export function newRecord(runDir: string, spec: WorkerSpec, settings: RunSettings): WorkerRecord {
  const paths = workerPaths(runDir, spec.id);
  return {
    id: spec.id,
    stage: spec.stage,
    stageName: spec.stageName,
    role: spec.role,
    lenses: spec.lenses,
    edits: spec.edits,
    paths: spec.paths,
    cwd: spec.cwd,
    sandbox: sandboxFor(spec, settings),
    promptHash: spec.prompt === '' ? '' : sha256(spec.prompt),
    promptBytes: Buffer.byteLength(spec.prompt),
    command: [settings.codexBin, ...codexArgs(spec, settings, paths)],
    status: 'pending',
    attempts: 0,
    exitCode: null,
    startedAt: null,
    finishedAt: null,
    durationMs: null,
    pid: null,
    threadId: null,
    usage: null,
    error: null,
    files: workerFiles(spec.id),
  };
}

/**
 * Run the workers that have not succeeded yet: stages in order, workers within a stage in
 * parallel up to `maxParallel`, never two editing workers on overlapping paths at once. The
 * manifest is rewritten atomically on every state change, so it tells the truth at any moment.
 * One failed worker does not stop the others unless `failFast`.
 */
export async function runWorkers(options: RunWorkersOptions): Promise<RunOutcome> {
  const { runDir, manifest, settings } = options;
  const graceMs = options.graceMs ?? 5000;
  const retryDelayMs = options.retryDelayMs ?? 2000;
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  if (options.signal?.aborted) stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const save = (): void => writeManifest(runDir, manifest);
  const record = (id: string): WorkerRecord => manifest.workers.find((w) => w.id === id) as WorkerRecord;

  save();
  const stages = [...new Set(options.workers.map((w) => w.spec.stage))].sort((a, b) => a - b);
  for (const stage of stages) {
    if (stop.signal.aborted) break;
    const todo = options.workers.filter((w) => w.spec.stage === stage && record(w.spec.id).status !== 'succeeded');
    const queue = [...todo];
    const running = new Set<PlannedWorker>();
    await new Promise<void>((resolveStage) => {
      const pump = (): void => {
        if (stop.signal.aborted) queue.length = 0;
        while (running.size < settings.maxParallel) {
          // Many readers, one writer: an editing worker waits for any running writer on its paths.
          const index = queue.findIndex((w) => !w.spec.edits || ![...running].some((r) => r.spec.edits && pathsOverlap(r.spec, w.spec)));
          if (index === -1) break;
          const [next] = queue.splice(index, 1) as [PlannedWorker];
          running.add(next);
          void runOne(next)
            .catch((error: unknown) => {
              // A bug or a disk error must fail this worker, not hang the stage.
              const rec = record(next.spec.id);
              rec.status = 'failed';
              rec.error = `runner error: ${error instanceof Error ? error.message : String(error)}`;
              rec.finishedAt = new Date().toISOString();
              save();
            })
            .then(() => {
              running.delete(next);
              pump();
            });
        }
        if (running.size === 0) resolveStage();
      };
      pump();
    });
  }
  options.signal?.removeEventListener('abort', onAbort);

  const canceled = options.signal?.aborted === true;
  for (const worker of manifest.workers) {
    if (worker.status === 'pending' || worker.status === 'running') {
      worker.status = 'canceled';
      worker.error ??= canceled ? 'canceled before it started' : 'not started: an earlier worker failed (--fail-fast)';
    }
  }
  manifest.status = runStatusOf(manifest.workers, canceled);
  manifest.finishedAt = new Date().toISOString();
  save();
  return { manifest, canceled };

  async function runOne(planned: PlannedWorker): Promise<void> {
    const { spec } = planned;
    const rec = record(spec.id);
    const paths = workerPaths(runDir, spec.id);
    mkdirSync(paths.dir, { recursive: true });
    rmSync(paths.lastMessage, { force: true });
    delete rec.structured;
    if (spec.inputs && !manifest.workers.some((w) => spec.inputs?.stages.includes(w.stageName) && w.status === 'succeeded')) {
      // Nothing to work from: running it would only spend tokens on an empty input.
      rec.status = 'canceled';
      rec.error = `not started: no final message from ${spec.inputs.stages.map((s) => `\`${s}\``).join(', ')}`;
      save();
      options.onUpdate?.(rec, rec.status);
      return;
    }
    if (planned.renderWith) {
      spec.prompt = planned.renderWith(receivedFrom(spec));
      rec.promptHash = sha256(spec.prompt);
      rec.promptBytes = Buffer.byteLength(spec.prompt);
    }
    writeFileAtomic(paths.prompt, spec.prompt);
    if (settings.structured && spec.outputSchema) writeFileAtomic(paths.schema, `${JSON.stringify(spec.outputSchema, null, 2)}\n`);
    const [file, ...args] = rec.command as [string, ...string[]];

    let result: AttemptResult | undefined;
    for (let attempt = 0; attempt <= settings.retries; attempt++) {
      if (attempt > 0 && !(await sleep(retryDelayMs * 2 ** (attempt - 1), stop.signal))) {
        result = { ...(result as AttemptResult), outcome: 'canceled', error: 'canceled while waiting to retry', transient: false };
        break;
      }
      rec.status = 'running';
      rec.attempts += 1;
      rec.startedAt = new Date().toISOString();
      rec.finishedAt = null;
      rec.durationMs = null;
      rec.exitCode = null;
      rec.error = null;
      options.onUpdate?.(rec, attempt > 0 ? `retry ${attempt}` : 'starting');
      result = await spawnWorker({
        file,
        args,
        prompt: spec.prompt,
        cwd: spec.cwd,
        env: options.env,
        eventsPath: paths.events,
        stderrPath: paths.stderr,
        timeoutMs: settings.timeoutMs,
        graceMs,
        signal: stop.signal,
        onSpawn(pid) {
          rec.pid = pid;
          live.add(pid);
          save();
        },
        onEvent(state: EventState, important: boolean) {
          rec.threadId = state.threadId;
          rec.usage = state.usage;
          if (important) save();
          options.onUpdate?.(rec, state.activity);
        },
      });
      if (rec.pid !== null) live.delete(rec.pid);
      rec.pid = null;
      if (result.outcome !== 'failed' || !result.transient || stop.signal.aborted) break;
      rec.error = result.error;
      save();
    }
    const outcome = result as AttemptResult;
    rec.status = outcome.outcome;
    rec.exitCode = outcome.exitCode;
    rec.error = outcome.outcome === 'canceled' && options.signal?.aborted !== true ? 'stopped: another worker failed (--fail-fast)' : outcome.error;
    rec.finishedAt = new Date().toISOString();
    rec.durationMs = outcome.durationMs;
    if (rec.status === 'succeeded' && settings.structured && spec.outputSchema) {
      rec.structured = checkStructured(paths.lastMessage, spec.outputSchema);
      if (!rec.structured.valid) {
        rec.status = 'failed';
        rec.error = `final message does not match the output schema of \`${spec.role}\`: ${rec.structured.errors.slice(0, 3).join('; ')}`;
      }
    }
    if (rec.status === 'failed' || rec.status === 'timed-out') {
      if (settings.failFast) stop.abort();
    }
    save();
    options.onUpdate?.(rec, rec.status);
  }

  function receivedFrom(spec: WorkerSpec): string {
    const wanted = new Set(spec.inputs?.stages ?? []);
    const blocks = manifest.workers
      .filter((w) => wanted.has(w.stageName) && w.status === 'succeeded')
      .map((w) => {
        const path = join(runDir, w.files.lastMessage);
        const text = existsSync(path) ? readFileSync(path, 'utf8').trim() : '(no final message)';
        return `### ${w.id} (${[w.role, ...w.lenses].join(', ')})\n\n${text}`;
      });
    return blocks.join('\n\n');
  }
}

/** Process ids of workers running now, so a dying runner can still end them (see `killLive`). */
export const live = new Set<number>();

/** Sleep unless aborted; resolves false when aborted. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolveSleep) => {
    if (signal.aborted) return resolveSleep(false);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolveSleep(true);
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolveSleep(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** sha256 of a prompt, as recorded in the manifest. */
export function sha256(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

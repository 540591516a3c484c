import { UserError } from '../../errors/index.js';
import { fileReadFailure } from '../../fs/read-bounded.js';
import { loadTemplates } from '../../templates/load.js';
import type { TemplateSet } from '../../templates/model.js';
import { templateFailure } from '../../templates/template-error.js';
import type { Executor } from '../executor/executor.js';
import type { RunKinds } from '../executor/kinds.js';
import { readManifest, sha256 } from '../record/manifest.js';
import type { AttemptRecord, Manifest, WorkerRecord, WorkerSpec } from '../record/model.js';
import { runOwned } from '../record/owner-lock.js';
import { requireSealed } from '../record/trusted-run.js';
import { readWorkerText, workerPaths, type WorkerFile } from '../record/worker-files.js';
import { setValue, type RunSettings } from '../settings/run-settings.js';
import type { Setting, SettingValue } from '../settings/setting.js';
import { newRecord } from './new-record.js';
import type { PlannedWorker } from './plan-workers.js';
import type { RunPlan } from './run-plan.js';

/** Options of {@link planResume}. */
export interface PlanResumeOptions {
  env: Readonly<Record<string, string | undefined>>;
  kinds: RunKinds;
  /** Settings this invocation changes: only those that may change on a resume (limits, the program). */
  given?: ReadonlyArray<[Setting, SettingValue]>;
}

/**
 * Plan the continuation of a recorded run from what its folder stores: the manifest (workers,
 * settings, what each worker receives), each worker's `prompt.md` and output schema. Workers that
 * succeeded keep their results; the others run again, their executors continuing what they
 * recorded (a cloud task still pending is polled, never sent twice). Nothing is re-parsed from
 * the stored command line.
 *
 * A run folder is data: what it says about how workers run (the program, the sandbox, the config,
 * the folders) is used only when its manifest carries this user's seal, and every stored prompt
 * and schema must match the hash the sealed manifest recorded.
 *
 * @throws {UserError} `manifest-invalid` when there is no usable manifest, `run-untrusted` when
 * it is not sealed by this user's orch-prompt (or a stored prompt does not match it),
 * `run-still-running` when a live runner owns the folder, `usage` for a setting that may not change.
 */
export function planResume(runDir: string, options: PlanResumeOptions): RunPlan {
  const where = `runs resume ${runDir}`;
  const stored = readManifest(runDir, options.kinds);
  if (stored === null) throw new UserError('manifest-invalid', `${where}: no manifest.json there`);
  requireSealed(stored, runDir, where, options.env);
  if (runOwned(runDir)) throw new UserError('run-still-running', `${where}: that run is still running (another orch-prompt owns its folder)`);
  const settings = structuredClone(stored.options);
  for (const [setting, value] of options.given ?? []) {
    if (!setting.resume) throw new UserError('usage', `${where}: ${setting.name} cannot change when a run is resumed (it would change what a worker is)`);
    setValue(settings, setting, value, false);
  }
  const executorOf = (kind: string): Executor => options.kinds.executors.find((e) => e.kind === kind) as Executor;
  const workers = stored.workers.map((record): PlannedWorker => ({ spec: specOf(runDir, record, executorOf(record.executor.kind), settings, options.env), warnings: [], where: record.id }));
  // The budget is checked again from what the run has spent so far.
  const { stopped: _stopped, ...kept } = stored;
  const manifest: Manifest = {
    ...kept,
    status: 'running',
    finishedAt: null,
    options: settings,
    workers: stored.workers.map((old, i) => {
      if (old.status === 'succeeded') return old;
      const spec = (workers[i] as PlannedWorker).spec;
      return again(newRecord(runDir, spec, settings, executorOf(spec.executor.kind), old.executor), old);
    }),
  };
  const orphans = stored.workers.filter((record) => record.status === 'running');
  return { runDir, manifest, workers, templates: templatesFor(stored, workers, where), resumed: true, kinds: options.kinds, orphans, ...(stored.seal ? { basis: stored.seal } : {}) };
}

/**
 * Templates are needed only to render a worker that receives earlier results, and only when
 * something will run at all; a folder or file that no longer loads stops the resume.
 */
function templatesFor(stored: Manifest, workers: readonly PlannedWorker[], where: string): TemplateSet | undefined {
  if (!workers.some((w) => w.spec.inputs) || stored.workers.every((w) => w.status === 'succeeded')) return undefined;
  try {
    return loadTemplates(stored.templateDirs, { strict: true });
  } catch (error) {
    if (templateFailure(error)) throw new UserError('manifest-invalid', `${where}: ${(error as Error).message}`);
    throw error;
  }
}

/** A worker to run again: a fresh record that keeps the history of the old one. */
function again(fresh: WorkerRecord, old: WorkerRecord): WorkerRecord {
  // An attempt still `running` ended with the runner that ran it.
  const attempts = old.attempts.map((a): AttemptRecord => (a.outcome === 'running' ? { ...a, outcome: 'canceled', error: 'the runner ended while it ran' } : a));
  return { ...fresh, attempts, ...(old.violations ? { violations: old.violations } : {}) };
}

/** Prompts and schemas are ours; anything larger was not written by the runner. */
const maxPromptBytes = 16 * 1024 * 1024;
const maxSchemaBytes = 1024 * 1024;

/** A worker's spec, rebuilt from its (sealed) record, its executor's record and the files in its folder. */
function specOf(runDir: string, record: WorkerRecord, executor: Executor, settings: RunSettings, env: Readonly<Record<string, string | undefined>>): WorkerSpec {
  const spec: WorkerSpec = {
    id: record.id,
    stage: record.stage,
    stageName: record.stageName,
    role: record.role,
    lenses: record.lenses,
    prompt: readStored(runDir, record, 'prompt', record.promptHash, maxPromptBytes, 'a worker prompt'),
    edits: record.edits,
    paths: record.paths,
    cwd: record.cwd,
    // A yolo run records no sandbox; the one its role implies is kept for the next attempt.
    sandbox: record.sandbox === 'read-only' || record.sandbox === 'workspace-write' ? record.sandbox : record.edits ? 'workspace-write' : 'read-only',
    executor: { kind: executor.kind, config: executor.resume(record, settings, env) },
  };
  if (record.model !== undefined) spec.model = record.model;
  if (record.reasoningEffort !== undefined) spec.reasoningEffort = record.reasoningEffort;
  if (record.structuredOutput) spec.outputSchema = storedSchema(runDir, record);
  if (record.webSearch) spec.webSearch = record.webSearch;
  if (record.inputs) spec.inputs = record.inputs;
  return spec;
}

/** A worker's stored output schema, as its record's hash says it was. */
function storedSchema(runDir: string, record: WorkerRecord): Record<string, unknown> {
  const path = workerPaths(runDir, record.id).schema;
  const text = readStored(runDir, record, 'schema', record.schemaHash ?? '', maxSchemaBytes, 'an output schema');
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch (error) {
    throw new UserError('manifest-invalid', `${path} is not valid JSON: ${(error as Error).message.split('\n')[0] ?? ''}`);
  }
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) throw new UserError('manifest-invalid', `${path} is not a JSON Schema object`);
  return schema as Record<string, unknown>;
}

/**
 * A worker's stored prompt or schema, read following no link, and sent again only when it is
 * what the sealed manifest recorded (`hash`; an empty prompt, not rendered yet, has none).
 */
function readStored(runDir: string, record: WorkerRecord, file: WorkerFile, hash: string, maxBytes: number, what: string): string {
  let text: string;
  try {
    text = readWorkerText(runDir, record.id, file, maxBytes, what);
  } catch (error) {
    if (fileReadFailure(error)) throw new UserError('manifest-invalid', `runs resume: ${(error as Error).message}`);
    throw error;
  }
  if (hash === '' ? text !== '' : sha256(text) !== hash) {
    throw new UserError('run-untrusted', `runs resume: ${workerPaths(runDir, record.id)[file]} is not the ${what === 'a worker prompt' ? 'prompt' : 'output schema'} the run recorded for \`${record.id}\` (its hash differs), so it is not sent again; nothing was run`, { data: { runDir, worker: record.id } });
  }
  return text;
}

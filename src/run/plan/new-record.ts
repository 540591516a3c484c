import { manifestVersion } from '../record/manifest-schema.js';
import { schemaText, sha256 } from '../record/manifest.js';
import type { ExecutorRecord, Manifest, WorkerRecord, WorkerSpec } from '../record/model.js';
import { workerFiles, workerPaths } from '../record/worker-files.js';
import type { RunSettings } from '../settings/run-settings.js';
import type { Executor } from '../executor/executor.js';

/** What a new manifest is made of (everything else starts empty). */
export interface NewManifest {
  runDir: string;
  cwd: string;
  invokedFrom: string;
  argv: readonly string[];
  templateDirs: readonly string[];
  settings: RunSettings;
  specs: readonly WorkerSpec[];
  /** The executor of each worker, by its kind. */
  executorOf(kind: string): Executor;
}

/** The manifest of a run about to start: every worker `pending`. */
export function createManifest(input: NewManifest): Manifest {
  return {
    version: manifestVersion as Manifest['version'],
    id: input.runDir.split(/[\\/]/).pop() as string,
    startedAt: new Date().toISOString(),
    finishedAt: null,
    status: 'running',
    cwd: input.cwd,
    invokedFrom: input.invokedFrom,
    argv: [...input.argv],
    templateDirs: [...input.templateDirs],
    options: input.settings,
    workers: input.specs.map((spec) => newRecord(input.runDir, spec, input.settings, input.executorOf(spec.executor.kind))),
  };
}

/**
 * A fresh manifest record for a worker (status `pending`); its executor writes its own part and
 * the command. `previous` is the executor part of the record it continues (`runs resume`).
 */
export function newRecord(runDir: string, spec: WorkerSpec, settings: RunSettings, executor: Executor, previous?: ExecutorRecord): WorkerRecord {
  const fresh = executor.newRecord(spec, settings);
  const record: WorkerRecord = {
    id: spec.id,
    stage: spec.stage,
    stageName: spec.stageName,
    role: spec.role,
    lenses: spec.lenses,
    edits: spec.edits,
    paths: spec.paths,
    cwd: spec.cwd,
    sandbox: executor.sandbox(spec, settings),
    promptHash: spec.prompt === '' ? '' : sha256(spec.prompt),
    promptBytes: Buffer.byteLength(spec.prompt),
    command: executor.command(spec, settings, workerPaths(runDir, spec.id)),
    status: 'pending',
    attempts: [],
    exitCode: null,
    startedAt: null,
    finishedAt: null,
    durationMs: null,
    pid: null,
    threadId: null,
    usage: null,
    error: null,
    files: workerFiles(spec.id),
    structuredOutput: spec.outputSchema !== undefined,
    executor: previous !== undefined && executor.continueRecord ? executor.continueRecord(previous, fresh) : fresh,
  };
  if (spec.outputSchema) record.schemaHash = sha256(schemaText(spec.outputSchema));
  if (spec.webSearch) record.webSearch = spec.webSearch;
  if (spec.inputs) record.inputs = spec.inputs;
  if (spec.model !== undefined) record.model = spec.model;
  if (spec.reasoningEffort !== undefined) record.reasoningEffort = spec.reasoningEffort;
  return record;
}

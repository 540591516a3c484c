import { UserError } from '../errors/index.js';
import { fileReadFailure, readTextBounded } from '../fs/read-bounded.js';
import { loadTemplates } from '../templates/load.js';
import { templateFailure } from '../templates/template-error.js';
import { executorOfRecord } from './cloud/cloud-command.js';
import { gitWorkTreeProbe } from './git-work-tree.js';
import { newRecord, readManifest } from './manifest.js';
import type { AttemptRecord, Manifest, RunSettings, WorkerRecord, WorkerSpec } from './model.js';
import type { PlannedWorker } from './plan-workers.js';
import { alive } from './process-tree.js';
import type { RunPlan } from './run-plan.js';
import { workerPaths } from './worker-files.js';

/** Settings that may change when a run is resumed: limits, never the work. */
export type ResumeOverrides = Partial<Pick<RunSettings, 'maxParallel' | 'timeoutMs' | 'watchdogMs' | 'retries' | 'graceMs' | 'failFast' | 'cloudPollMs'>>;

/** Options of {@link planResume}. */
export interface PlanResumeOptions {
  env: Readonly<Record<string, string | undefined>>;
  overrides?: ResumeOverrides;
}

/**
 * Plan the continuation of a recorded run from what its folder stores: the manifest (workers,
 * settings, what each worker receives), each worker's `prompt.md` and output schema. Workers that
 * succeeded keep their results; the others run again. Nothing is re-parsed from the stored
 * command line.
 *
 * @throws {UserError} `manifest-invalid` when there is no usable manifest, `run-still-running`
 * when its runner still runs.
 */
export function planResume(runDir: string, options: PlanResumeOptions): RunPlan {
  const stored = readManifest(runDir);
  if (stored === null) throw new UserError('manifest-invalid', `--resume ${runDir}: no manifest.json there`);
  if (stored.status === 'running' && stored.runnerPid !== process.pid && alive(stored.runnerPid)) {
    throw new UserError('run-still-running', `--resume ${runDir}: that run is still running (pid ${stored.runnerPid})`);
  }
  const settings: RunSettings = { ...stored.options, ...options.overrides };
  const inGitRepo = gitWorkTreeProbe(options.env);
  const workers = stored.workers.map((record): PlannedWorker => ({ spec: specOf(runDir, record, inGitRepo), warnings: [] }));
  const stale = stored.workers.filter((w) => w.status === 'running' && w.pid !== null).map((w) => ({ pid: w.pid as number, marker: workerPaths(runDir, w.id).lastMessage, mark: workerPaths(runDir, w.id).dir }));
  // The budget is checked again from what the run has spent so far.
  const { stopped: _stopped, ...kept } = stored;
  const manifest: Manifest = {
    ...kept,
    status: 'running',
    finishedAt: null,
    runnerPid: process.pid,
    options: settings,
    workers: stored.workers.map((old, i) => (old.status === 'succeeded' ? old : again(newRecord(runDir, (workers[i] as PlannedWorker).spec, settings), old))),
  };
  // Templates are needed only to render a worker that receives earlier results, and only when
  // something will run at all.
  let templates;
  if (workers.some((w) => w.spec.inputs) && stored.workers.some((w) => w.status !== 'succeeded')) {
    try {
      // Strict: a folder or file that no longer loads stops the resume, as it always did.
      templates = loadTemplates(stored.templateDirs, { strict: true });
    } catch (error) {
      if (templateFailure(error)) throw new UserError('manifest-invalid', `--resume ${runDir}: ${(error as Error).message}`);
      throw error;
    }
  }
  return { runDir, manifest, workers, templates, resumed: true, stale };
}

/** A worker to run again: a fresh record that keeps the history of the old one. */
function again(fresh: WorkerRecord, old: WorkerRecord): WorkerRecord {
  // An attempt still `running` ended with the runner that ran it.
  const attempts = old.attempts.map((a): AttemptRecord => (a.outcome === 'running' ? { ...a, outcome: 'canceled', error: 'the runner ended while it ran' } : a));
  // A worktree the worker already has (kept, with a snapshot of --from-dirty) is worked on again;
  // a cloud worker keeps its tasks: one still pending is polled again, never sent twice.
  return {
    ...fresh,
    attempts,
    ...(old.violations ? { violations: old.violations } : {}),
    ...(old.worktree ? { worktree: { ...old.worktree, state: 'planned' as const } } : {}),
    ...(old.cloud ? { cloud: old.cloud, command: old.command } : {}),
  };
}

/** Prompts and schemas are ours; anything larger was not written by the runner. */
const maxPromptBytes = 16 * 1024 * 1024;
const maxSchemaBytes = 1024 * 1024;

/** A worker's spec, rebuilt from its (validated) record and the files in its folder. */
function specOf(runDir: string, record: WorkerRecord, inGitRepo: (cwd: string) => boolean): WorkerSpec {
  const paths = workerPaths(runDir, record.id);
  const spec: WorkerSpec = {
    id: record.id,
    stage: record.stage,
    stageName: record.stageName,
    role: record.role,
    lenses: record.lenses,
    prompt: readStored(paths.prompt, maxPromptBytes, 'a worker prompt'),
    edits: record.edits,
    paths: record.paths,
    cwd: record.cwd,
    inGitRepo: inGitRepo(record.cwd),
    // A `--yolo` run records no sandbox; the one its role implies is kept for the next attempt.
    sandbox: record.sandbox === 'read-only' || record.sandbox === 'workspace-write' ? record.sandbox : record.edits ? 'workspace-write' : 'read-only',
  };
  if (record.model !== undefined) spec.model = record.model;
  if (record.reasoningEffort !== undefined) spec.reasoningEffort = record.reasoningEffort;
  if (record.structuredOutput) {
    const text = readStored(paths.schema, maxSchemaBytes, 'an output schema');
    let schema: unknown;
    try {
      schema = JSON.parse(text);
    } catch (error) {
      throw new UserError('manifest-invalid', `${paths.schema} is not valid JSON: ${(error as Error).message.split('\n')[0] ?? ''}`);
    }
    if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) throw new UserError('manifest-invalid', `${paths.schema} is not a JSON Schema object`);
    spec.outputSchema = schema as Record<string, unknown>;
  }
  if (record.webSearch) spec.webSearch = record.webSearch;
  if (record.inputs) spec.inputs = record.inputs;
  if (record.worktree) {
    const { repo, base, branch, path, fromDirty } = record.worktree;
    spec.worktree = { repo, base, branch, path, fromDirty };
  }
  const executor = executorOfRecord(record);
  if (executor) spec.executor = executor;
  return spec;
}

function readStored(path: string, maxBytes: number, what: string): string {
  try {
    return readTextBounded(path, { maxBytes, what });
  } catch (error) {
    if (fileReadFailure(error)) throw new UserError('manifest-invalid', `--resume: ${(error as Error).message}`);
    throw error;
  }
}

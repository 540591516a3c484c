import { UserError } from '../../errors/index.js';
import { fileReadFailure } from '../../fs/read-bounded.js';
import { loadTemplates } from '../../templates/load.js';
import { templateFailure } from '../../templates/template-error.js';
import { executorOfRecord } from '../cloud/cloud-command.js';
import { gitWorkTreeProbe } from '../local/git-work-tree.js';
import { newRecord, readManifest, sha256 } from '../record/manifest.js';
import { runOwned } from '../record/owner-lock.js';
import { requireSealed } from '../record/trusted-run.js';
import type { AttemptRecord, Manifest, RunSettings, WorkerRecord, WorkerSpec } from '../record/model.js';
import type { PlannedWorker } from './plan-workers.js';
import type { RunPlan } from './run-plan.js';
import { readWorkerText, workerPaths, type WorkerFile } from '../record/worker-files.js';

/**
 * Settings that may change when a run is resumed: limits and the program that runs codex (this
 * invocation's to choose), never the work.
 */
export type ResumeOverrides = Partial<Pick<RunSettings, 'maxParallel' | 'timeoutMs' | 'watchdogMs' | 'retries' | 'retryDelayMs' | 'graceMs' | 'failFast' | 'cloudPollMs' | 'budgetTokens' | 'budgetUsd' | 'codexBin'>>;

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
 * A run folder is data: what it says about how workers run (the program, the sandbox, the config,
 * the folders) is used only when its manifest carries this user's seal, and every stored prompt
 * and schema must match the hash the sealed manifest recorded.
 *
 * @throws {UserError} `manifest-invalid` when there is no usable manifest, `run-untrusted` when
 * it is not sealed by this user's orch-prompt (or a stored prompt does not match it),
 * `run-still-running` when a live runner owns the folder.
 */
export function planResume(runDir: string, options: PlanResumeOptions): RunPlan {
  const stored = readManifest(runDir);
  if (stored === null) throw new UserError('manifest-invalid', `--resume ${runDir}: no manifest.json there`);
  requireSealed(stored, runDir, `--resume ${runDir}`, options.env);
  if (runOwned(runDir)) throw new UserError('run-still-running', `--resume ${runDir}: that run is still running (another orch-prompt owns its folder)`);
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
    ...(old.cloud ? { cloud: old.cloud, command: [fresh.command[0] as string, ...old.command.slice(1)] } : {}),
  };
}

/** Prompts and schemas are ours; anything larger was not written by the runner. */
const maxPromptBytes = 16 * 1024 * 1024;
const maxSchemaBytes = 1024 * 1024;

/** A worker's spec, rebuilt from its (sealed) record and the files in its folder. */
function specOf(runDir: string, record: WorkerRecord, inGitRepo: (cwd: string) => boolean): WorkerSpec {
  const paths = workerPaths(runDir, record.id);
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
    inGitRepo: inGitRepo(record.cwd),
    // A `--yolo` run records no sandbox; the one its role implies is kept for the next attempt.
    sandbox: record.sandbox === 'read-only' || record.sandbox === 'workspace-write' ? record.sandbox : record.edits ? 'workspace-write' : 'read-only',
  };
  if (record.model !== undefined) spec.model = record.model;
  if (record.reasoningEffort !== undefined) spec.reasoningEffort = record.reasoningEffort;
  if (record.structuredOutput) {
    const text = readStored(runDir, record, 'schema', record.schemaHash ?? '', maxSchemaBytes, 'an output schema');
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

/**
 * A worker's stored prompt or schema, read following no link, and sent again only when it is
 * what the sealed manifest recorded (`hash`; an empty prompt, not rendered yet, has none).
 */
function readStored(runDir: string, record: WorkerRecord, file: WorkerFile, hash: string, maxBytes: number, what: string): string {
  let text: string;
  try {
    text = readWorkerText(runDir, record.id, file, maxBytes, what);
  } catch (error) {
    if (fileReadFailure(error)) throw new UserError('manifest-invalid', `--resume: ${(error as Error).message}`);
    throw error;
  }
  if (hash === '' ? text !== '' : sha256(text) !== hash) {
    throw new UserError('run-untrusted', `--resume: ${workerPaths(runDir, record.id)[file]} is not the ${what === 'a worker prompt' ? 'prompt' : 'output schema'} the run recorded for \`${record.id}\` (its hash differs), so it is not sent again; nothing was run`, { data: { runDir, worker: record.id } });
  }
  return text;
}

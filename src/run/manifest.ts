import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { UserError } from '../errors/index.js';
import { fileReadFailure, readTextBounded } from '../fs/read-bounded.js';
import { writeFileAtomic } from '../fs/write-atomic.js';
import { cloudExecArgs, newCloudRecord } from './cloud/cloud-command.js';
import { codexArgs, sandboxFor } from './codex-args.js';
import { validateManifest } from './manifest-schema.js';
import type { Manifest, RunSettings, RunStatus, WorkerRecord, WorkerSpec } from './model.js';
import { alive } from './process-tree.js';
import { workerFiles, workerPaths } from './worker-files.js';

/** File name of the manifest inside a run folder. */
export const manifestFile = 'manifest.json';

/** What a new manifest is made of (everything else starts empty). */
export interface NewManifest {
  runDir: string;
  cwd: string;
  invokedFrom: string;
  argv: readonly string[];
  templateDirs: readonly string[];
  settings: RunSettings;
  specs: readonly WorkerSpec[];
}

/** The manifest of a run about to start: every worker `pending`. */
export function createManifest(input: NewManifest): Manifest {
  return {
    version: 2,
    id: input.runDir.split(/[\\/]/).pop() as string,
    startedAt: new Date().toISOString(),
    finishedAt: null,
    status: 'running',
    runnerPid: process.pid,
    cwd: input.cwd,
    invokedFrom: input.invokedFrom,
    argv: [...input.argv],
    templateDirs: [...input.templateDirs],
    options: input.settings,
    workers: input.specs.map((spec) => newRecord(input.runDir, spec, input.settings)),
  };
}

/** A fresh manifest record for a worker (status `pending`). */
export function newRecord(runDir: string, spec: WorkerSpec, settings: RunSettings): WorkerRecord {
  const record: WorkerRecord = {
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
    command: [settings.codexBin, ...codexArgs(spec, settings, workerPaths(runDir, spec.id))],
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
  };
  if (spec.webSearch) record.webSearch = spec.webSearch;
  if (spec.inputs) record.inputs = spec.inputs;
  if (spec.worktree) record.worktree = { ...spec.worktree, state: 'planned' };
  if (spec.model !== undefined) record.model = spec.model;
  if (spec.reasoningEffort !== undefined) record.reasoningEffort = spec.reasoningEffort;
  if (spec.executor?.kind === 'cloud') {
    // A Codex Cloud task: the cloud's own sandbox, and the command that sends it.
    Object.assign(record, { executor: 'cloud', sandbox: 'cloud', command: [settings.codexBin, ...cloudExecArgs(spec.executor)], cloud: newCloudRecord(spec.executor) });
  }
  return record;
}

/** sha256 of a prompt, as recorded in the manifest. */
export function sha256(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** Write the manifest atomically: a reader (or a crash) never sees half of it. */
export function writeManifest(runDir: string, manifest: Manifest): void {
  writeFileAtomic(join(runDir, manifestFile), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** A manifest larger than this is not one of ours. */
const maxManifestBytes = 32 * 1024 * 1024;

/**
 * Read a run's manifest, trusting nothing in it: a bounded read of a regular file, JSON, then
 * {@link validateManifest}. `null` when the folder has none.
 *
 * @throws {UserError} `manifest-invalid` with one line naming the file and the place.
 */
export function readManifest(runDir: string): Manifest | null {
  const path = join(runDir, manifestFile);
  let text: string;
  try {
    text = readTextBounded(path, { maxBytes: maxManifestBytes, what: 'a run manifest' });
  } catch (error) {
    const failure = fileReadFailure(error);
    if (failure?.kind === 'not-found') return null;
    if (failure) throw new UserError('manifest-invalid', (error as Error).message);
    throw error;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UserError('manifest-invalid', `${path} is not valid JSON: ${(error as Error).message.split('\n')[0] ?? ''}`);
  }
  return validateManifest(data, path);
}

/**
 * The status to show for a run: a manifest still saying `running` whose runner process is gone
 * was interrupted (killed without a chance to record it).
 */
export function effectiveStatus(manifest: Manifest): RunStatus | 'interrupted' {
  if (manifest.status === 'running' && !alive(manifest.runnerPid)) return 'interrupted';
  return manifest.status;
}

/** The run's final status from its workers. */
export function runStatusOf(workers: readonly WorkerRecord[], canceled: boolean): RunStatus {
  if (canceled) return 'canceled';
  return workers.every((w) => w.status === 'succeeded') ? 'succeeded' : 'failed';
}

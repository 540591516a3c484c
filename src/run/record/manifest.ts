import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { UserError } from '../../errors/index.js';
import { fileReadFailure } from '../../fs/read-bounded.js';
import { writeFileAtomic } from '../../fs/write-atomic.js';
import { cloudExecArgs, newCloudRecord } from '../cloud/cloud-command.js';
import { codexArgs, sandboxFor } from '../local/codex-args.js';
import { validateManifest } from './manifest-schema.js';
import type { Manifest, RunSettings, RunStatus, WorkerRecord, WorkerSpec } from './model.js';
import { readRunText } from './run-files.js';
import { runOwned } from './owner-lock.js';
import { sealMatches, sealOf } from './seal.js';
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
  if (spec.outputSchema) record.schemaHash = sha256(schemaText(spec.outputSchema));
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

/** A worker's output schema as its `output-schema.json` holds it. */
export function schemaText(schema: Record<string, unknown>): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/** sha256 of a prompt, as recorded in the manifest. */
export function sha256(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/**
 * Write the manifest atomically (a reader, or a crash, never sees half of it), sealed with
 * `key` when there is one: an HMAC of its content, last in the file, that only this user's
 * orch-prompt can make (see folder/seal.ts). A record without a valid seal is data that cannot
 * choose what runs.
 */
export function writeManifest(runDir: string, manifest: Manifest, key: Buffer | null): void {
  const { seal: _old, ...body } = manifest;
  const sealed = key === null ? body : { ...body, seal: sealOf(key, JSON.stringify(body)) };
  writeFileAtomic(join(runDir, manifestFile), `${JSON.stringify(sealed, null, 2)}\n`);
}

/** Whether this user's orch-prompt wrote the manifest as it is: its seal matches one of `keys`. */
export function manifestSealed(manifest: Manifest, keys: readonly Buffer[]): boolean {
  const { seal, ...body } = manifest;
  return seal !== undefined && sealMatches(keys, JSON.stringify(body), seal);
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
    text = readRunText(path, maxManifestBytes, 'a run manifest');
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
 * The status to show for the run in `runDir`: a manifest still saying `running` whose folder no
 * live runner owns was interrupted (its runner was killed without a chance to record it).
 */
export function effectiveStatus(manifest: Manifest, runDir: string): RunStatus | 'interrupted' {
  if (manifest.status === 'running' && !runOwned(runDir)) return 'interrupted';
  return manifest.status;
}

/** The run's final status from its workers. */
export function runStatusOf(workers: readonly WorkerRecord[], canceled: boolean): RunStatus {
  if (canceled) return 'canceled';
  return workers.every((w) => w.status === 'succeeded') ? 'succeeded' : 'failed';
}

import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { UserError } from '../../errors/index.js';
import { fileReadFailure } from '../../fs/read-bounded.js';
import { writeFileAtomic } from '../../fs/write-atomic.js';
import { validateManifest, type RecordKinds } from './manifest-schema.js';
import type { Manifest, RunStatus, WorkerRecord } from './model.js';
import { readRunText } from './run-files.js';
import { runOwned } from './owner-lock.js';
import { sealMatches, sealOf } from './seal.js';

/** File name of the manifest inside a run folder. */
export const manifestFile = 'manifest.json';

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
 * Read a run's manifest, trusting nothing in it: a bounded read of a regular file (no link), JSON,
 * then {@link validateManifest} against the executors and settings of `kinds`. `null` when the
 * folder has none.
 *
 * @throws {UserError} `manifest-invalid` with one line naming the file and the place.
 */
export function readManifest(runDir: string, kinds: RecordKinds): Manifest | null {
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
  return validateManifest(data, path, kinds);
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

/**
 * Whether the run's record on disk still carries `seal`: what a command read before it owned the
 * folder is still what is there (a runner that ended meanwhile writes it again). A record that
 * is gone or unreadable now is not the one read.
 */
export function stillSealedAs(runDir: string, kinds: RecordKinds, seal: string | undefined): boolean {
  try {
    return readManifest(runDir, kinds)?.seal === seal;
  } catch {
    return false;
  }
}

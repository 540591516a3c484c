import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/write-atomic.js';
import type { Manifest, RunStatus, WorkerRecord } from './model.js';
import { alive } from './process-tree.js';

/** File name of the manifest inside a run folder. */
export const manifestFile = 'manifest.json';

/** Write the manifest atomically: a reader (or a crash) never sees half of it. */
export function writeManifest(runDir: string, manifest: Manifest): void {
  writeFileAtomic(join(runDir, manifestFile), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** A run folder whose manifest cannot be read. */
export class ManifestError extends Error {
  override name = 'ManifestError';
}

/** Read a run's manifest; `null` when the folder has none. */
export function readManifest(runDir: string): Manifest | null {
  const path = join(runDir, manifestFile);
  if (!existsSync(path)) return null;
  let data: Manifest;
  try {
    data = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  } catch (error) {
    throw new ManifestError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (data === null || typeof data !== 'object' || data.version !== 1 || !Array.isArray(data.workers)) {
    throw new ManifestError(`${path} is not an orch-prompt run manifest`);
  }
  return data;
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

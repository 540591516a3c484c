import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { effectiveStatus, manifestFile, readManifest } from './manifest.js';

/** One recorded run, as `orch-prompt runs` lists it. */
export interface RunRow {
  id: string;
  dir: string;
  status: string;
  startedAt: string;
  finishedAt: string | null;
  workers: number;
  succeeded: number;
  roles: string[];
}

/** The runs recorded under `root`, newest first. */
export function listRuns(root: string): RunRow[] {
  if (!existsSync(root)) return [];
  const rows: RunRow[] = [];
  for (const name of readdirSync(root).sort().reverse()) {
    const dir = join(root, name);
    let manifest;
    try {
      manifest = readManifest(dir);
    } catch {
      continue; // not a run folder
    }
    if (manifest === null) continue;
    rows.push({
      id: manifest.id,
      dir,
      status: effectiveStatus(manifest),
      startedAt: manifest.startedAt,
      finishedAt: manifest.finishedAt,
      workers: manifest.workers.length,
      succeeded: manifest.workers.filter((w) => w.status === 'succeeded').length,
      roles: [...new Set(manifest.workers.map((w) => w.role))],
    });
  }
  return rows;
}

/** How a run was named on the command line resolved: a folder, or why it is not one. */
export type FoundRun = { dir: string } | { error: 'not-found' | 'ambiguous'; matches: number };

/** A run by folder (`asPath`), or by id or unique id prefix under `root`. */
export function findRun(root: string, asPath: string, target: string): FoundRun {
  if (existsSync(join(asPath, manifestFile))) return { dir: asPath };
  const names = existsSync(root) ? readdirSync(root).filter((n) => n.startsWith(target)) : [];
  if (names.length === 1) return { dir: join(root, names[0] as string) };
  return { error: names.length > 1 ? 'ambiguous' : 'not-found', matches: names.length };
}

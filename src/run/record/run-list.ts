import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isUserError, UserError } from '../../errors/index.js';
import { effectiveStatus, manifestFile, readManifest } from './manifest.js';
import type { RecordKinds } from './manifest-schema.js';
import { runTotals, type UsageTotals } from './usage.js';
import { isLink } from '../../fs/link-target.js';

/** One recorded run, as `orch-prompt runs` lists it. */
export interface RunRow {
  id: string;
  dir: string;
  /** The run's status, `interrupted` when its runner died, `unreadable` when its manifest is. */
  status: string;
  startedAt: string | null;
  finishedAt: string | null;
  workers: number;
  succeeded: number;
  roles: string[];
  /** What the run spent, all workers together (absent for an unreadable run). */
  usage?: UsageTotals;
  /** Why the manifest cannot be read (status `unreadable`). */
  error?: string;
}

/**
 * The runs recorded under `root`, newest start first; a folder whose manifest cannot be read is
 * listed as `unreadable` (after the others), never hidden.
 */
export function listRuns(root: string, kinds: RecordKinds): RunRow[] {
  if (!existsSync(root)) return [];
  const rows: RunRow[] = [];
  const unreadable: RunRow[] = [];
  for (const name of readdirSync(root).sort()) {
    const dir = join(root, name);
    if (isLink(dir)) {
      unreadable.push({ id: name, dir, status: 'unreadable', startedAt: null, finishedAt: null, workers: 0, succeeded: 0, roles: [], error: `${dir} is a symbolic link, which is not followed` });
      continue;
    }
    let manifest;
    try {
      manifest = readManifest(dir, kinds);
    } catch (error) {
      if (!isUserError(error)) throw error;
      unreadable.push({ id: name, dir, status: 'unreadable', startedAt: null, finishedAt: null, workers: 0, succeeded: 0, roles: [], error: error.message });
      continue;
    }
    if (manifest === null) continue; // not a run folder
    rows.push({
      id: manifest.id,
      dir,
      status: effectiveStatus(manifest, dir),
      startedAt: manifest.startedAt,
      finishedAt: manifest.finishedAt,
      workers: manifest.workers.length,
      succeeded: manifest.workers.filter((w) => w.status === 'succeeded').length,
      roles: [...new Set(manifest.workers.map((w) => w.role))],
      usage: runTotals(manifest),
    });
  }
  rows.sort((a, b) => Date.parse(b.startedAt as string) - Date.parse(a.startedAt as string) || b.id.localeCompare(a.id));
  return [...rows, ...unreadable];
}

/** How a run was named on the command line resolved: a folder, or why it is not one. */
type FoundRun = { dir: string } | { error: 'not-found' | 'ambiguous'; matches: number };

/**
 * {@link findRun}, or the one-line error (`usage`) for a name that matches no run or several:
 * `where` starts it, `shown` is the name as it may be printed, `see` says where ids are listed.
 */
export function runDirNamed(root: string, asPath: string | null, target: string, where: string, shown = target, see = '`orch-prompt runs`'): string {
  const found = findRun(root, asPath, target);
  if (!('error' in found)) return found.dir;
  throw new UserError('usage', found.error === 'ambiguous' ? `${where}: \`${shown}\` matches ${found.matches} runs; give more of the id` : `${where}: no run \`${shown}\` (see ${see})`);
}

/**
 * A run by id, or unique id prefix, under `root`: a real folder of the runs folder, never a link
 * out of it; an exact id wins over the longer ids it begins. Else, when `asPath` is given (what
 * a user typed, resolved), the run folder there. Ids come first, so that no folder of the
 * project can stand in for a run named by id.
 */
function findRun(root: string, asPath: string | null, target: string): FoundRun {
  const names = target !== '' && existsSync(root) ? readdirSync(root).filter((n) => n.startsWith(target) && !isLink(join(root, n))) : [];
  const id = names.includes(target) ? target : names.length === 1 ? names[0] : undefined;
  if (id !== undefined) return { dir: join(root, id) };
  if (asPath !== null && existsSync(join(asPath, manifestFile))) return { dir: asPath };
  return { error: names.length > 1 ? 'ambiguous' : 'not-found', matches: names.length };
}


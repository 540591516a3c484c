import { resolve } from 'node:path';
import { UserError } from '../errors/index.js';
import { isInside } from '../fs/path-inside.js';
import { linkTarget, realpathOr } from '../fs/link-target.js';

// The server runs outside Codex's sandbox, on behalf of a model inside it. It acts only in the
// folder it was started in (and that folder's runs folder): paths lead inside it, runs are
// named by id. What a plan may ask for is in allowed.ts and plan-trust.ts.

/**
 * `given` (relative to `root`) as an absolute path, when it leads inside `root` once its links
 * are followed.
 *
 * @throws {UserError} `mcp-refused` naming the path.
 */
export function pathInside(root: string, given: string, where: string): string {
  return placeInside(root, given, where).path;
}

/**
 * What `given` (relative to `root`) leads to once its links are followed, when that is inside
 * `root`: the file to read, rather than a path a link could be swapped into later.
 *
 * @throws {UserError} `mcp-refused` naming the path.
 */
export function targetInside(root: string, given: string, where: string): string {
  return placeInside(root, given, where).real;
}

function placeInside(root: string, given: string, where: string): { path: string; real: string } {
  const path = resolve(root, given);
  let real: string;
  try {
    real = linkTarget(path);
  } catch {
    real = path;
  }
  if (!isInside(real, realpathOr(root))) throw new UserError('mcp-refused', `${where}: \`${given}\` is outside ${root}, the folder this server works in`, { data: { path: given } });
  return { path, real };
}

/** A run id or a unique prefix of one (no path: runs are found in the runs folder only). */
const runRefPattern = /^[0-9A-Za-z][0-9A-Za-z-]{0,99}$/;

/**
 * A run named by id (or a unique prefix of one), never by path.
 *
 * @throws {UserError} `usage` for anything else.
 */
export function checkRunRef(ref: string, where: string): string {
  if (!runRefPattern.test(ref)) throw new UserError('usage', `${where}: \`${ref.slice(0, 120)}\` is not a run id; give an id from list_runs or start_run (letters, digits and dashes)`);
  return ref;
}


import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../errors/index.js';
import { isInside } from '../fs/path-inside.js';
import { linkTarget } from '../fs/link-target.js';
import type { Plan } from '../run/index.js';

// The server runs outside Codex's sandbox, on behalf of a model inside it. It acts only in the
// folder it was started in (and that folder's runs folder), and nothing a request says may widen
// what a worker may do beyond what the user's own configuration gives it.

/** Run settings a request may not give, and why: each could run a program, or loosen a sandbox. */
export const refusedSettings: Readonly<Record<string, string>> = {
  'codex-bin': 'it names a program the server would run outside the sandbox (the server runs $CODEX_BIN, else codex on PATH)',
  yolo: "it turns the workers' sandbox and approvals off",
  config: "a Codex config override can change a worker's sandbox, tools or servers",
  profile: "a Codex profile can change a worker's sandbox",
};

/**
 * `given` (relative to `root`) as an absolute path, when it leads inside `root` once its links
 * are followed.
 *
 * @throws {UserError} `mcp-refused` naming the path.
 */
export function pathInside(root: string, given: string, where: string): string {
  const path = resolve(root, given);
  let real: string;
  try {
    real = linkTarget(path);
  } catch {
    real = path;
  }
  if (!isInside(real, realRoot(root))) throw new UserError('mcp-refused', `${where}: \`${given}\` is outside ${root}, the folder this server works in`, { data: { path: given } });
  return path;
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

/**
 * What a plan may not ask of this server: the refused settings, a price file outside the
 * folder, a worker folder of its own (`cd`), results handed over from a run named by path.
 *
 * @throws {UserError} `mcp-refused` or `usage`.
 */
export function checkPlanTrust(plan: Plan, root: string, where: string): void {
  for (const [name, value] of Object.entries(plan.settings ?? {})) {
    const why = refusedSettings[name];
    if (why !== undefined) throw new UserError('mcp-refused', `${where}: settings.${name} cannot be given to this server: ${why}`, { data: { setting: name } });
    if (name === 'prices') pathInside(root, String(value), `${where}: settings.prices`);
  }
  for (const [i, stage] of plan.stages.entries()) {
    for (const [j, worker] of stage.workers.entries()) {
      // The model may write below the folder (not its own .codex or .git, which Codex keeps
      // read-only): a worker started in a subfolder would load that subfolder's
      // .codex/config.toml, whose MCP servers and settings run outside the sandbox.
      if (worker.cd !== undefined) {
        throw new UserError('mcp-refused', `${where}: stages[${i}].workers[${j}].cd cannot be given to this server: its workers run in the folder it serves, ${root}, never below it (a folder the model can write may hold a .codex/config.toml or .git whose commands would run outside the sandbox); name what a worker looks at in its params, scope or paths instead`, { data: { key: 'cd' } });
      }
      if (worker.from !== undefined) checkRunRef(worker.from, `${where}: stages[${i}].workers[${j}].from`);
    }
  }
}

function realRoot(root: string): string {
  try {
    return realpathSync(root);
  } catch {
    return root;
  }
}

import { UserError } from '../errors/index.js';
import { effectiveStatus, readManifest, runDirNamed, type Manifest } from '../run/index.js';
import type { ServerContext } from './context.js';
import { runView } from './run-view.js';
import { checkRunRef } from './trust.js';

/**
 * The folder of the run `ref` names (an id or a unique prefix of one) in the served folder's
 * runs folder, as `orch-prompt runs show` finds it; a path is refused.
 *
 * @throws {UserError} `usage` when no run or several match.
 */
export function findRunDir(context: ServerContext, ref: string, where: string): string {
  checkRunRef(ref, where);
  const root = context.runsRoot(where);
  return runDirNamed(root, null, ref, where, ref, 'list_runs');
}

/** A run now: its record and status, and what failed it as a whole. */
export interface RunState {
  manifest: Manifest;
  status: string;
  error: string | null;
  /** Whether this server holds it (started it, and has not restarted since). */
  held: boolean;
}

/**
 * The state of the run in `runDir`: the live record of a run this server holds, else what its
 * folder says (`interrupted` when it says running but no process owns it).
 *
 * @throws {UserError} `manifest-invalid` when the folder holds no run.
 */
export function runState(context: ServerContext, runDir: string, where: string): RunState {
  const live = context.runs.get(runDir);
  if (live) return { manifest: live.handle.manifest, status: live.result?.manifest.status ?? 'running', error: live.result?.error ?? null, held: true };
  const manifest = readManifest(runDir, context.kinds);
  if (manifest === null) throw new UserError('manifest-invalid', `${where}: ${runDir} has no manifest.json`);
  return { manifest, status: effectiveStatus(manifest, runDir), error: null, held: false };
}

/** The view of a run state (see {@link runView}). */
export function viewOf(runDir: string, state: RunState): Record<string, unknown> {
  return runView(runDir, state.manifest, state.status, state.error);
}

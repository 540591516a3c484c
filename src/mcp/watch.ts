import type { ServerContext } from './context.js';
import { runState, type RunState } from './locate.js';
import { progressOf, stateKey } from './run-view.js';
import type { CallExtras } from './tool.js';

/** The longest a call waits on a run (Codex's `tool_timeout_sec` in the entry `install --mcp` writes is longer). */
export const maxWaitSeconds = 120;

/**
 * Wait on a run until `until(state)` holds, `seconds` pass, or the call is canceled, reporting
 * progress (workers ended of all) to the client each time a worker's state changes. Resolves the
 * state then, and whether `until` held.
 */
export async function watchRun(context: ServerContext, runDir: string, seconds: number, extras: CallExtras, until: (state: RunState) => boolean, where: string): Promise<{ state: RunState; met: boolean }> {
  let state = runState(context, runDir, where);
  let reported = '';
  const report = (): void => {
    const key = stateKey(state.manifest, state.status);
    if (key === reported) return;
    reported = key;
    const progress = progressOf(state.manifest, state.status);
    extras.progress(progress.done, progress.total, progress.message);
  };
  report();
  const met = await context.runs.waitFor(
    runDir,
    () => {
      state = runState(context, runDir, where);
      report();
      return until(state);
    },
    Math.min(seconds, maxWaitSeconds) * 1000,
    extras.signal,
  );
  // Read once more: a record that could not be read during the wait fails the call here.
  state = runState(context, runDir, where);
  return { state, met };
}

/** Whether a run has ended (any status but running). */
export function ended(state: RunState): boolean {
  return state.status !== 'running';
}

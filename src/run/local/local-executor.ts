import { rolloutModel } from './rollout-model.js';
import { spawnWorker, type AttemptResult } from './spawn-worker.js';
import type { AttemptInput, Executor } from '../executor/executor.js';

/**
 * The local executor: one `codex exec` process per attempt, the prompt on stdin, the recorded
 * command line as it is (see spawn-worker.ts for how the process is watched and ended). The
 * model the attempt ran is read afterwards from the session's rollout in the worker's Codex
 * home, since the `--json` events never name it.
 */
export const localExecutor: Executor = {
  async attempt(input: AttemptInput): Promise<AttemptResult> {
    const { spec, record, attempt, paths, settings } = input;
    const [file, ...args] = record.command as [string, ...string[]];
    const result = await spawnWorker({
      file,
      args,
      prompt: spec.prompt,
      cwd: spec.cwd,
      env: input.env,
      mark: paths.dir,
      eventsPath: paths.events,
      stderrPath: paths.stderr,
      // A later attempt keeps what the earlier ones wrote: it appends after a marker line.
      ...(attempt.n > 1 ? { continuation: attemptMarkers(attempt) } : {}),
      timeoutMs: settings.timeoutMs,
      watchdogMs: settings.watchdogMs,
      graceMs: settings.graceMs,
      ...(input.endpoint !== undefined ? { endpoint: input.endpoint } : {}),
      edits: spec.edits,
      signal: input.signal,
      ...(input.killSignal ? { killSignal: input.killSignal } : {}),
      onSpawn: input.onSpawn,
      onEvent: input.onEvent,
    });
    const used = rolloutModel({ threadId: result.state.threadId, env: input.env, startedAt: attempt.startedAt, finishedAt: new Date().toISOString() });
    return used.model === null ? result : { ...result, modelUsed: used.model };
  },
};

/** The lines that open a later attempt in `events.jsonl` (a JSON event of its own) and `stderr.log`. */
export function attemptMarkers(attempt: { n: number; startedAt: string }): { events: string; stderr: string } {
  return {
    events: `${JSON.stringify({ type: 'orch.attempt', attempt: attempt.n, startedAt: attempt.startedAt })}\n`,
    stderr: `--- orch-prompt: attempt ${attempt.n}, started ${attempt.startedAt} ---\n`,
  };
}

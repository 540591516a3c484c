import { dirname } from 'node:path';
import type { AttemptInput, AttemptResult } from '../executor/executor.js';
import { attemptMarkers } from '../record/worker-files.js';
import { rolloutModel } from './rollout-model.js';
import type { LocalRecord } from './model.js';
import { workerProgram } from './native-codex.js';
import { localSettings } from './settings.js';
import { spawnWorker } from './spawn-worker.js';
import { workerFolderProblem } from './worker-folder.js';

/**
 * One attempt of a local worker: one `codex exec` process, the prompt on stdin, the recorded
 * command line as it is but for its program (native-codex.ts; see spawn-worker.ts for how the
 * process is watched and ended). The model the attempt ran is read afterwards from the
 * session's rollout in the worker's Codex home, since the `--json` events never name it.
 */
export async function localAttempt(input: AttemptInput): Promise<AttemptResult> {
  const { spec, record, attempt, paths, settings, report } = input;
  const local = localSettings(settings);
  const [file, ...args] = record.command as [string, ...string[]];
  const worktree = (record.executor as unknown as LocalRecord).worktree;
  const problem = workerFolderProblem(spec.cwd, worktree?.path ?? input.project);
  if (problem !== null) return { outcome: 'failed', exitCode: null, error: `not started: its folder ${problem}`, transient: false, threadId: null, usage: null, durationMs: 0, violations: [] };
  // The recorded command names the configured program; the npm launcher's native binary is
  // what starts in its place (native-codex.ts).
  const program = workerProgram(file, input.env, dirname(paths.dir));
  const result = await spawnWorker({
    file: program.file,
    args,
    prompt: spec.prompt,
    cwd: spec.cwd,
    env: program.env,
    mark: paths.dir,
    eventsPath: paths.events,
    stderrPath: paths.stderr,
    // A later attempt keeps what the earlier ones wrote: it appends after a marker line.
    ...(attempt.n > 1 ? { continuation: attemptMarkers(attempt) } : {}),
    timeoutMs: settings.timeoutMs,
    watchdogMs: local.watchdogMs,
    graceMs: local.graceMs,
    ...(input.endpoint !== undefined ? { endpoint: input.endpoint } : {}),
    edits: spec.edits,
    signal: input.signal,
    ...(input.killSignal ? { killSignal: input.killSignal } : {}),
    onSpawn: (pid) => report.pid(pid),
    onEvent: (state, important) => report.progress({ threadId: state.threadId, usage: state.usage, activity: state.activity, important }),
  });
  const used = rolloutModel({ threadId: result.threadId, env: input.env, startedAt: attempt.startedAt, finishedAt: new Date().toISOString() });
  return used.model === null ? result : { ...result, modelUsed: used.model };
}

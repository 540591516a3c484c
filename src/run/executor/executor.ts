import type { EventState } from '../local/events.js';
import type { AttemptRecord, RunSettings, WorkerRecord, WorkerSpec } from '../record/model.js';
import type { AttemptResult } from '../local/spawn-worker.js';
import type { WorkerPaths } from '../record/worker-files.js';

/** Everything one attempt of a worker needs, whichever executor runs it. */
export interface AttemptInput {
  spec: WorkerSpec;
  /** The worker's manifest record: an executor may add what it learns (a task id) and save it. */
  record: WorkerRecord;
  attempt: AttemptRecord;
  paths: WorkerPaths;
  settings: RunSettings;
  env: Readonly<Record<string, string | undefined>>;
  /** The model endpoint local workers use, for messages, when it is known. */
  endpoint?: string;
  /** Stops the attempt (Ctrl-C, `--fail-fast`). */
  signal: AbortSignal;
  /** Stops it at once, without the grace period (a second Ctrl-C). */
  killSignal?: AbortSignal;
  /** Record the manifest (never throws). */
  save(): void;
  /** A local worker's process started (its pid is recorded while it runs). */
  onSpawn(pid: number): void;
  /** A local worker's event stream moved on; `important` asks for the manifest to be saved. */
  onEvent(state: EventState, important: boolean): void;
  /** Something worth showing on the live line happened (a cloud task's status). */
  onActivity(activity: string): void;
}

/**
 * The one boundary between the runner and what runs a worker: the runner renders prompts,
 * schedules stages, retries and records; an executor runs one attempt and says how it ended
 * (a failure has the same shape as a success). Local runs `codex exec` here; cloud sends the
 * prompt to Codex Cloud and polls the task.
 */
export interface Executor {
  attempt(input: AttemptInput): Promise<AttemptResult>;
}

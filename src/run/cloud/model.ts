// What the cloud executor (Codex Cloud tasks) keeps of a worker: its configuration and its record.

/** A worker that runs as a Codex Cloud task (`codex cloud exec --env ENV --attempts N [--branch B]`). */
export interface CloudConfig {
  /** The Codex Cloud environment id. */
  env: string;
  /** Best-of-N attempts the cloud runs for the task (1 to 4). */
  attempts: number;
  /** The branch the cloud checks out; absent: the project's current branch, found when the task is sent. */
  branch?: string;
}

/** Where a Codex Cloud task stands: `codex cloud status` prints `[PENDING|READY|APPLIED|ERROR]`. */
export type CloudTaskState = 'pending' | 'ready' | 'applied' | 'error';

/** The diff of one best-of-N attempt of a cloud task, as collected with `codex cloud diff --attempt N`. */
export interface CloudDiffRecord {
  attempt: number;
  /** Relative to the run folder; null when the diff could not be fetched. */
  file: string | null;
  error: string | null;
}

/** One Codex Cloud task sent for a worker (a retry or a `runs resume` after a failure sends another). */
export interface CloudTaskRecord {
  id: string;
  url: string | null;
  /** The runner attempt (`attempts[].n`) that sent it. */
  sentBy: number;
  submittedAt: string;
  /** The last state read with `codex cloud status`; `pending` also when the runner stopped polling. */
  state: CloudTaskState;
  /** The last status line read (`[READY] title`). */
  statusLine: string | null;
  /** How many status reads it took. */
  polls: number;
  diffs: CloudDiffRecord[];
  /** Set by `orch-prompt runs apply`: the attempt applied to the project, and when. */
  appliedAttempt?: number;
  appliedAt?: string;
}

/** What a cloud worker records: where it ran and every task sent for it. */
export interface CloudRecord {
  kind: 'cloud';
  env: string;
  attempts: number;
  branch: string | null;
  tasks: CloudTaskRecord[];
}


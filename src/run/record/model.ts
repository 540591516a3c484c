import type { ReasoningEffort } from '../../templates/model.js';
import type { PriceTable } from '../cost/prices.js';
import type { GuardViolation } from '../local/guard.js';

export type { ReasoningEffort } from '../../templates/model.js';

/** The sandbox a worker runs in (`codex exec --sandbox`); `--yolo` runs without one. */
export type SandboxMode = 'read-only' | 'workspace-write';

/** Codex's `web_search` setting: `codex exec` uses cached results unless told `live`. */
export type WebSearchMode = 'disabled' | 'cached' | 'live';

/** What happened to a worker, as recorded in the manifest. */
export type WorkerStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'timed-out' | 'canceled';

/** Status of a whole run. */
export type RunStatus = 'running' | 'succeeded' | 'failed' | 'canceled';

/** Token usage from `turn.completed`. */
export interface TokenUsage {
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
  reasoning_output_tokens?: number;
}

/** How a worker's final message fared against its role's output schema (`--structured`). */
export interface StructuredCheck {
  valid: boolean;
  /** One line per schema violation, or why the message is not JSON. */
  errors: string[];
}

/**
 * How to render a worker's prompt again once earlier stages are done: the render request
 * without the templates. Stored in the manifest, so that `--resume` renders the same request.
 */
export interface RenderRecipe {
  role: string;
  params: Record<string, string>;
  lenses: string[];
  task?: string;
  scope?: string;
  context: Record<string, string>;
}

/** Earlier stages whose final messages a worker receives, where they go, and its render request. */
export interface WorkerInputs {
  stages: string[];
  /** The role parameter or context-pack field that receives them. */
  into: string;
  recipe: RenderRecipe;
}

/** Everything needed to start one worker; fixed before the run starts. */
export interface WorkerSpec {
  /** Unique in the run; also the worker's folder name. */
  id: string;
  /** Index of the stage it belongs to (0 for a single worker or `--each-lens`). */
  stage: number;
  stageName: string;
  role: string;
  lenses: string[];
  /** The rendered prompt (the worker reads it on stdin). */
  prompt: string;
  /** Whether the role edits files: decides the sandbox and the one-writer rule. */
  edits: boolean;
  /** Paths an editing worker may change (relative to `cwd`); `.` means all of it. */
  paths: string[];
  /** Folder the worker runs in (`codex exec -C`). */
  cwd: string;
  /** Whether `cwd` is inside a git work tree (else `--skip-git-repo-check`). */
  inGitRepo: boolean;
  /** The role's output contract (passed as `--output-schema` with `--structured`). */
  outputSchema?: Record<string, unknown>;
  /** Codex web search for this worker, from its role (`-c web_search=...`); absent: Codex's default. */
  webSearch?: WebSearchMode;
  /** Plans and `--merge` only: what this worker receives from earlier stages. */
  inputs?: WorkerInputs;
  /** An isolated editing worker: its own git worktree (`cwd` is inside it). */
  worktree?: WorktreePlan;
  /** The sandbox: what `edits` implies, narrowed by the role, the plan or `--sandbox`. */
  sandbox: SandboxMode;
  /** `codex exec -m`: the command line's, else the plan worker's, else the role's; absent: Codex's default. */
  model?: string;
  /** `-c model_reasoning_effort=...`, chosen the same way. */
  reasoningEffort?: ReasoningEffort;
  /** Where the worker runs: absent means locally (`codex exec`). */
  executor?: CloudExecutor;
}

/** How editing workers share the project: in it (`none`), or each in its own git worktree. */
export type Isolation = 'none' | 'worktree';

/** Where an isolated editing worker works: its own git worktree on a new branch. */
export interface WorktreePlan {
  /** Top folder of the repository the worktree belongs to. */
  repo: string;
  /** The commit the branch starts from (HEAD when the run was planned). */
  base: string;
  /** `orch/<run id>/<worker id>`. */
  branch: string;
  /** The worktree folder, `<run>/<worker>/worktree`. */
  path: string;
  /** Copy the repository's uncommitted changes in (`--from-dirty`). */
  fromDirty: boolean;
}

/** Lines changed by a worker, as `git diff --shortstat` counts them. */
export interface DiffStat {
  files: number;
  insertions: number;
  deletions: number;
}

/** A worker's worktree as recorded: planned, kept with the worker's changes, or removed. */
export interface WorktreeRecord extends WorktreePlan {
  /** `planned` until the worker ends; `kept` when it changed something, else `removed`. */
  state: 'planned' | 'kept' | 'removed';
  /** The commit holding the uncommitted changes copied in (`--from-dirty`), when there were any. */
  snapshot?: string;
  /** The commit with the worker's changes (kept worktrees). */
  head?: string;
  /** What the worker changed, from `snapshot` (else `base`) to `head`. */
  diffstat?: DiffStat;
  /** Files it changed outside its `paths` (repository-relative): reported, and `runs apply` refuses the branch. */
  outside?: string[];
  /** Why the worktree could not be created, committed or removed. */
  error?: string;
}

/** Which executor runs a worker: `local` (`codex exec` here) or `cloud` (a Codex Cloud task). */
export type ExecutorKind = 'local' | 'cloud';

/** A worker that runs as a Codex Cloud task (`codex cloud exec --env ENV --attempts N [--branch B]`). */
export interface CloudExecutor {
  kind: 'cloud';
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

/** One Codex Cloud task sent for a worker (a retry or a `--resume` after a failure sends another). */
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
  env: string;
  attempts: number;
  branch: string | null;
  tasks: CloudTaskRecord[];
}

/** How one attempt of a worker ended (`running` while it runs). */
export type AttemptOutcome = 'running' | 'succeeded' | 'failed' | 'timed-out' | 'canceled';

/** One attempt of a worker: the first run, a `--retries` retry, or a run of `--resume`. */
export interface AttemptRecord {
  /** 1 for the first attempt. */
  n: number;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  exitCode: number | null;
  outcome: AttemptOutcome;
  error: string | null;
  /** Tokens this attempt used (`turn.completed`). */
  usage?: TokenUsage | null;
  /** The model this attempt actually ran (its Codex session's rollout); absent when that cannot be told. */
  modelUsed?: string;
}

/** One worker as recorded in `manifest.json`. */
export interface WorkerRecord {
  id: string;
  stage: number;
  stageName: string;
  role: string;
  lenses: string[];
  edits: boolean;
  paths: string[];
  cwd: string;
  sandbox: string;
  /** sha256 of the prompt as sent. */
  promptHash: string;
  promptBytes: number;
  /** The exact command line (the prompt goes on stdin, shown as `-`). */
  command: string[];
  status: WorkerStatus;
  /** Every attempt, oldest first; each one's events and stderr are kept (see worker-files). */
  attempts: AttemptRecord[];
  exitCode: number | null;
  /** Start of the first attempt. */
  startedAt: string | null;
  /** End of the last attempt. */
  finishedAt: string | null;
  /** Time spent in all attempts together. */
  durationMs: number | null;
  /** Process id of the worker's process group leader while it runs (for post-mortems). */
  pid: number | null;
  threadId: string | null;
  /** Tokens used by all its attempts together. */
  usage: TokenUsage | null;
  /**
   * Estimated dollars for `usage` at the run's prices, each attempt at the model it ran (else the
   * one the worker was started with); null when such a model has no price.
   */
  costUsd?: number | null;
  /** Why it failed: `turn.failed` / `error` event text, else the tail of stderr. */
  error: string | null;
  /** Relative to the run folder. */
  files: { prompt: string; events: string; stderr: string; lastMessage: string };
  /** Whether the role's output schema was passed (`--structured`; the schema is in the worker's folder). */
  structuredOutput: boolean;
  /** sha256 of `output-schema.json` as written, when the worker has one (checked before `--resume` uses it). */
  schemaHash?: string;
  /** Codex web search for this worker, from its role; absent: Codex's default (cached). */
  webSearch?: WebSearchMode;
  structured?: StructuredCheck;
  /** What the worker did that workers must not do (each one failed its attempt), by attempt. */
  violations?: Array<GuardViolation & { attempt: number }>;
  /** What the worker receives from earlier stages (its prompt is rendered when its stage starts). */
  inputs?: WorkerInputs;
  /** The worker's own git worktree (`--isolation worktree`). */
  worktree?: WorktreeRecord;
  /** The model it was started with (`-m`); absent: Codex's configured default. */
  model?: string;
  /**
   * The model it actually ran, as Codex recorded it in the session's rollout (its last attempt
   * that could tell); absent when no attempt could (a cloud worker, no rollout found).
   */
  modelUsed?: string;
  /** The reasoning effort it was started with; absent: Codex's configured default. */
  reasoningEffort?: ReasoningEffort;
  /** Absent: `local`. */
  executor?: ExecutorKind;
  /** Cloud workers: the environment, the attempts asked for and the tasks sent. */
  cloud?: CloudRecord;
}

/** `manifest.json` of a run. */
export interface Manifest {
  version: 2;
  id: string;
  startedAt: string;
  finishedAt: string | null;
  status: RunStatus;
  /** The project folder: workers run in it or below it. */
  cwd: string;
  /** Folder `orch-prompt run` was called from. */
  invokedFrom: string;
  /** The arguments after `run`, for the record (`--resume` does not replay them). */
  argv: string[];
  /** Template folders layered over the built-ins, in order (re-read to render later stages on `--resume`). */
  templateDirs: string[];
  /** How workers run (and, on `--resume`, run again). */
  options: RunSettings;
  workers: WorkerRecord[];
  /** Set when `--merge` produced a merged result (relative path). */
  merged?: string;
  /** Why the run stopped its workers before they all ran (`budget`: `--budget` / `--budget-usd` spent). */
  stopped?: { reason: 'budget'; detail: string };
  /**
   * `hmac-sha256:...` of everything above, under this user's run key: proof that this user's
   * orch-prompt wrote the record (see run/folder/seal.ts). Absent: it cannot be trusted.
   */
  seal?: string;
}

/** Settings that shape how workers run; stored in the manifest so `--resume` can reuse them. */
export interface RunSettings {
  codexBin: string;
  model?: string;
  profile?: string;
  config: string[];
  yolo: boolean;
  structured: boolean;
  merge: boolean;
  maxParallel: number;
  /** Per-worker timeout in ms (0: none). */
  timeoutMs: number;
  /** Ends a worker with no progress for this long: the model is out of reach (0: off). */
  watchdogMs: number;
  retries: number;
  /** First retry delay in ms, doubled on each retry. */
  retryDelayMs: number;
  /** Time between SIGTERM and SIGKILL when stopping a worker. */
  graceMs: number;
  failFast: boolean;
  /** Editing workers each in their own git worktree (`--isolation worktree`); absent: `none`. */
  isolation?: Isolation;
  /** Copy uncommitted changes into each worktree instead of refusing a dirty tree. */
  fromDirty?: boolean;
  /** `--worktree-pool`: how many unchanged worktrees the repository's pool keeps; absent: the default. */
  worktreePool?: number;
  /** `--reasoning-effort`: overrides every role's and plan worker's. */
  reasoningEffort?: ReasoningEffort;
  /** `--sandbox read-only`: every worker read-only. */
  sandbox?: 'read-only';
  /** `--budget`: input plus output tokens the run may spend. */
  budgetTokens?: number;
  /** `--budget-usd`: estimated dollars the run may spend. */
  budgetUsd?: number;
  /** The prices costs are estimated with (the built-in table, or it with a price file over it). */
  prices?: PriceTable;
  /** Cloud workers: first wait between two status reads (grows up to a minute); absent: 10 s. */
  cloudPollMs?: number;
}

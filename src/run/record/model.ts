import type { ReasoningEffort } from '../../templates/model.js';
import type { RunSettings } from '../settings/run-settings.js';

export type { ReasoningEffort } from '../../templates/model.js';
export type { RunSettings } from '../settings/run-settings.js';

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
 * without the templates. Stored in the manifest, so that `runs resume` renders the same request.
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
  /** Folder the worker works in. */
  cwd: string;
  /** The role's output contract (passed as `--output-schema` with `--structured`). */
  outputSchema?: Record<string, unknown>;
  /** Codex web search for this worker, from its role (`-c web_search=...`); absent: Codex's default. */
  webSearch?: WebSearchMode;
  /** Plans and `--merge` only: what this worker receives from earlier stages. */
  inputs?: WorkerInputs;
  /** The sandbox: what `edits` implies, narrowed by the role, the plan or `--sandbox`. */
  sandbox: SandboxMode;
  /** `codex exec -m`: the command line's, else the plan worker's, else the role's; absent: Codex's default. */
  model?: string;
  /** `-c model_reasoning_effort=...`, chosen the same way. */
  reasoningEffort?: ReasoningEffort;
  /** The executor that runs it (its kind), and what that executor was told for this worker. */
  executor: { kind: string; config: unknown };
}

/**
 * What a worker's executor records of it: its kind, then whatever that executor keeps (a local
 * worker's git worktree, a cloud worker's tasks). Only the executor reads the rest.
 */
export interface ExecutorRecord {
  kind: string;
  [key: string]: unknown;
}

/** What a worker did that workers must not do (the recursion guard, the read-only promise). */
export interface Violation {
  /** What kind of thing it did (`sub-agent`, `nested-codex`, `read-only-edit`). */
  kind: string;
  /** What it did, in a few words. */
  detail: string;
}

/** How one attempt of a worker ended (`running` while it runs). */
export type AttemptOutcome = 'running' | 'succeeded' | 'failed' | 'timed-out' | 'canceled';

/** One attempt of a worker: the first run, a `--retries` retry, or a run of `runs resume`. */
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
  /** sha256 of `output-schema.json` as written, when the worker has one (checked before `runs resume` uses it). */
  schemaHash?: string;
  /** Codex web search for this worker, from its role; absent: Codex's default (cached). */
  webSearch?: WebSearchMode;
  structured?: StructuredCheck;
  /** What the worker did that workers must not do (each one failed its attempt), by attempt. */
  violations?: Array<Violation & { attempt: number }>;
  /** What the worker receives from earlier stages (its prompt is rendered when its stage starts). */
  inputs?: WorkerInputs;
  /** The model it was started with (`-m`); absent: Codex's configured default. */
  model?: string;
  /**
   * The model it actually ran, as Codex recorded it in the session's rollout (its last attempt
   * that could tell); absent when no attempt could (a cloud worker, no rollout found).
   */
  modelUsed?: string;
  /** The reasoning effort it was started with; absent: Codex's configured default. */
  reasoningEffort?: ReasoningEffort;
  /** What its executor records (its kind first). */
  executor: ExecutorRecord;
}

/** `manifest.json` of a run. */
export interface Manifest {
  version: 3;
  id: string;
  startedAt: string;
  finishedAt: string | null;
  status: RunStatus;
  /** The project folder: workers run in it or below it. */
  cwd: string;
  /** Folder `orch-prompt run` was called from. */
  invokedFrom: string;
  /** The arguments after `run`, for the record (`runs resume` does not replay them). */
  argv: string[];
  /** Template folders layered over the built-ins, in order (re-read to render later stages on `runs resume`). */
  templateDirs: string[];
  /** How workers run (and, on `runs resume`, run again). */
  options: RunSettings;
  workers: WorkerRecord[];
  /** Set when `--merge` produced a merged result (relative path). */
  merged?: string;
  /** Why the run stopped its workers before they all ran (`budget`: `--budget` spent). */
  stopped?: { reason: 'budget'; detail: string };
  /**
   * `hmac-sha256:...` of everything above, under this user's run key: proof that this user's
   * orch-prompt wrote the record (see run/folder/seal.ts). Absent: it cannot be trusted.
   */
  seal?: string;
}

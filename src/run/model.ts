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
  /** Stages whose final messages this worker receives (plans only), and where they go. */
  inputs?: { stages: string[]; into: string };
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
  attempts: number;
  exitCode: number | null;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  /** Process id of the worker's process group leader while it runs (for post-mortems). */
  pid: number | null;
  threadId: string | null;
  usage: TokenUsage | null;
  /** Why it failed: `turn.failed` / `error` event text, else the tail of stderr. */
  error: string | null;
  /** Relative to the run folder. */
  files: { prompt: string; events: string; stderr: string; lastMessage: string };
  structured?: StructuredCheck;
}

/** `manifest.json` of a run. */
export interface Manifest {
  version: 1;
  id: string;
  startedAt: string;
  finishedAt: string | null;
  status: RunStatus;
  /** The runner's process id: a `running` manifest whose runner is gone was interrupted. */
  runnerPid: number;
  /** Folder the workers ran in. */
  cwd: string;
  /** Folder `orch-prompt run` was called from; `argv` paths are relative to it. */
  invokedFrom: string;
  /** The arguments after `run`, so that `--resume` can rebuild the same workers. */
  argv: string[];
  /** Run options worth knowing afterwards (and needed by `--resume`). */
  options: RunSettings;
  workers: WorkerRecord[];
  /** Set when `--merge` produced a merged result (relative path). */
  merged?: string;
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
  retries: number;
  failFast: boolean;
}

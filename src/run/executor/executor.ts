import type { AttemptRecord, ExecutorRecord, Manifest, TokenUsage, Violation, WorkerRecord, WorkerSpec } from '../record/model.js';
import type { RecordCheck } from '../record/manifest-schema.js';
import type { WorkerPaths } from '../record/worker-files.js';
import type { RunSettings } from '../settings/run-settings.js';
import type { Setting } from '../settings/setting.js';

// The one boundary between the runner and what runs a worker. The core plans stages, schedules
// workers, retries, checks results and records; an executor runs one attempt of one worker and
// says how it ended (a failure has the same shape as a success). Each executor owns its settings,
// its plan keys, its part of a worker's record, resuming, applying and cleaning up; the core
// imports nothing but this file. Executors are listed once, in ../executors.ts.

type Env = Readonly<Record<string, string | undefined>>;

/** What an executor is told about the run while planning its workers. */
export interface PlanContext {
  runDir: string;
  /** The project folder. */
  cwd: string;
  settings: RunSettings;
  env: Env;
  /** Files the run reads (a plan file, a context pack), absolute. */
  reads: readonly string[];
}

/** Help that lives as long as one run (never across runs: a run keeps no process-wide state). */
export interface RunScope {
  /** Run `step` after every step queued before it in this run, one at a time. */
  serial<T>(step: () => Promise<T>): Promise<T>;
}

/** What an attempt tells the run while it goes on. */
export interface AttemptReport {
  /** Its process started (`null`: it ended); the run records the id while it runs. */
  pid(pid: number | null): void;
  /** Progress: the thread, the tokens spent so far, what it is doing; `important` asks for a save. */
  progress(update: { threadId: string | null; usage: TokenUsage | null; activity: string; important: boolean }): void;
  /** Something worth showing that changes nothing recorded. */
  activity(text: string): void;
  /** The executor's own part of the worker's record changed: record it now. */
  record(record: ExecutorRecord): void;
}

/** Everything one attempt of a worker needs. */
export interface AttemptInput {
  spec: WorkerSpec;
  /** The project folder (the manifest's `cwd`): a worker runs in it or below it. */
  project: string;
  /** The worker's record as it stands (its `executor` part is the executor's to read). */
  record: Readonly<WorkerRecord>;
  attempt: Readonly<AttemptRecord>;
  paths: WorkerPaths;
  settings: RunSettings;
  env: Env;
  /** The model endpoint workers use, for messages, when known. */
  endpoint?: string;
  /** Stops the attempt (Ctrl-C, `fail-fast`, the budget). */
  signal: AbortSignal;
  /** Stops it at once, without a grace period (a second Ctrl-C). */
  killSignal?: AbortSignal;
  scope: RunScope;
  report: AttemptReport;
}

/** How one attempt ended; a failure has the same shape as a success. */
export interface AttemptResult {
  outcome: 'succeeded' | 'failed' | 'timed-out' | 'canceled';
  exitCode: number | null;
  error: string | null;
  /** Whether a retry may help (a model or stream error, not a usage error or a timeout). */
  transient: boolean;
  threadId: string | null;
  /** Tokens the attempt used. */
  usage: TokenUsage | null;
  durationMs: number;
  /** What the worker did that workers must not do (the first one ended it). */
  violations: Violation[];
  /** The model the attempt actually ran, when the executor can tell. */
  modelUsed?: string;
  /** The model endpoint could not be reached at all: no other worker of the run should start. */
  unreachable?: boolean;
}

/** A worker set apart before its attempts (a git worktree), and how to end that. */
export interface Isolated {
  /** After the attempts, whatever they ended with; an error fails a worker that had succeeded. */
  finish(): Promise<{ ok: true } | { ok: false; error: string }>;
}

/** What setting a worker apart needs from the run. */
export interface IsolateInput {
  runDir: string;
  env: Env;
  scope: RunScope;
  settings: RunSettings;
  manifest: Manifest;
  /** The worker's `executor` record changed: record it. */
  save(record: ExecutorRecord): void;
}

/** What an executor found before any worker starts. */
export interface Preflight {
  /** Why its workers cannot work here, with the fixes, in one line; null when they can. */
  message: string | null;
  /** The model endpoint its workers use, when known (named when it goes away mid-run). */
  endpoint?: string;
}

/** What applying a worker's result did (`runs apply`): shown as JSON or one line. */
export interface Applied {
  worker: string;
  /** One line for people. */
  summary: string;
  [key: string]: unknown;
}

/** What `runs clean` removed of a worker. */
export interface Cleaned {
  worker: string;
  /** One line for people. */
  summary: string;
  [key: string]: unknown;
}

/** Options of an executor's `apply`. */
export interface ApplyOptions {
  runDir: string;
  manifest: Manifest;
  cwd: string;
  env: Env;
  /** What the command line asked (`runs apply RUN WORKER --attempt 2`). */
  attempt?: number;
  /** The codex program (this invocation's choice). */
  codexBin: string;
  /** Record the manifest (sealed) after a change. */
  save(): void;
}

/** An executor: how a worker runs. `Config` is what it is told per worker while planning. */
export interface Executor<Config = unknown> {
  /** Its name: `executor: KIND` in a plan, `--executor KIND[:ARG]`, `kind` in records. */
  kind: string;
  /** What it does, in a few words (help). */
  summary: string;
  /** Its run settings (declared once; see settings/setting.ts). */
  settings: readonly Setting[];
  /** The keys a plan worker may give for it, with their JSON Schemas. */
  planKeys: Readonly<Record<string, object>>;
  /**
   * A worker's configuration from its plan keys and the argument of `--executor KIND:ARG`.
   *
   * @throws {UserError} naming `where` when they do not make a worker.
   */
  configure(input: { keys: Readonly<Record<string, unknown>>; arg: string | undefined; settings: RunSettings; where: string; edits: boolean }): Config;
  /**
   * Shape its planned workers, all at once (the local executor puts writers in worktrees).
   *
   * @throws {UserError} when the workers cannot run as planned (`where` names each).
   */
  plan?(workers: ReadonlyArray<{ spec: WorkerSpec; where: string }>, context: PlanContext): void;
  /** The JSON Schema of its part of a worker record (`executor`, whose `kind` is checked before). */
  recordSchema: object;
  /** What its schema cannot say of a worker record (see {@link RecordCheck}). */
  checkRecord?: RecordCheck;
  /** Its part of a new worker's record. */
  newRecord(spec: WorkerSpec, settings: RunSettings): ExecutorRecord;
  /** A resumed worker's record: what of its old one goes on (default: the fresh one alone). */
  continueRecord?(previous: ExecutorRecord, fresh: ExecutorRecord): ExecutorRecord;
  /** The command a worker runs, as recorded and shown by a dry run (the prompt goes on stdin). */
  command(spec: WorkerSpec, settings: RunSettings, paths: WorkerPaths): string[];
  /** The sandbox recorded for a worker. */
  sandbox(spec: WorkerSpec, settings: RunSettings): string;
  /** Whether a worker works apart from the project folder (a git worktree): its writes never meet another writer's. */
  setsApart?(spec: WorkerSpec): boolean;
  /** End what a runner that died left running of a worker (before `runs resume` runs it again). */
  recover?(record: WorkerRecord, runDir: string): Promise<void>;
  /** The configuration of a recorded worker run again (`runs resume`), from its record. */
  resume(record: WorkerRecord, settings: RunSettings, env: Env): Config;
  /** What would stop its workers from working here, found before any starts. */
  preflight?(input: { settings: RunSettings; runDir: string; env: Env }): Promise<Preflight>;
  /** Set a worker apart before its attempts (the local executor's worktrees). */
  isolate?(spec: WorkerSpec, record: WorkerRecord, input: IsolateInput): Promise<Isolated | { error: string }>;
  /** One attempt of a worker. */
  attempt(input: AttemptInput): Promise<AttemptResult>;
  /** Apply what a worker left to the project (`runs apply`). */
  apply?(record: WorkerRecord, options: ApplyOptions): Promise<Applied>;
  /** Remove what a finished run's workers left outside the run folder (`runs clean`). */
  clean?(runDir: string, manifest: Manifest, env: Env): Promise<{ cleaned: Cleaned[]; failures: string[] }>;
  /** Lines for a run's summary about what its workers left (the worktrees kept, with their branches). */
  summaryLines?(manifest: Manifest): string[];
  /** Lines to tell the user when the run has ended (cloud tasks still running). */
  afterRun?(manifest: Manifest, runDir: string): string[];
}

/** The executor of `kind` among `executors`, or undefined. */
export function executorOf(executors: readonly Executor[], kind: string): Executor | undefined {
  return executors.find((e) => e.kind === kind);
}

/**
 * End what the workers of a runner that died may still run (they are detached), each through
 * its executor's `recover`: before a resume starts anything, before a clean removes anything.
 */
export async function recoverWorkers(workers: readonly WorkerRecord[], executors: readonly Executor[], runDir: string): Promise<void> {
  for (const worker of workers) await executorOf(executors, worker.executor.kind)?.recover?.(worker, runDir);
}

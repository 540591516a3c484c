import type { Executor, RunScope } from '../executor/executor.js';
import type { Manifest } from '../record/model.js';
import type { RunEvent } from '../record/reducer.js';
import type { TemplateSet } from '../../templates/model.js';
import type { RunStop } from './run-stop.js';

/** What one worker's run needs from the run that owns it. */
export interface WorkerContext {
  runDir: string;
  /** The run's record, as the events have made it (read it; change it only through `emit`). */
  manifest: Manifest;
  env: Readonly<Record<string, string | undefined>>;
  /** The model endpoint local workers use, for messages. */
  endpoint: string | undefined;
  /** For rendering the prompt of a worker that receives earlier results. */
  templates: TemplateSet | undefined;
  /** Stops the run's workers (Ctrl-C, fail-fast, the budget, a record that cannot be written). */
  stop: RunStop;
  /** Ends running workers at once, without the grace period. */
  killSignal: AbortSignal;
  scope: RunScope;
  executorOf(kind: string): Executor;
  /** Tell the run what happened: its record changes and is saved, front ends hear of it. */
  emit(event: RunEvent): void;
  /** A worker found the model out of reach: no other worker should start. */
  unreachable(error: string): void;
}

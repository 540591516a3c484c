import type { TemplateSet } from '../../templates/model.js';
import type { RunKinds } from '../executor/kinds.js';
import type { Manifest, WorkerRecord } from '../record/model.js';
import type { RunSettings } from '../settings/run-settings.js';
import { createManifest } from './new-record.js';
import { planWorkers, type PlannedWorker, type WorkSource } from './plan-workers.js';

/**
 * A run ready to start (or to show with a dry run): every worker rendered and checked, and the
 * manifest it will write. Nothing is on disk yet.
 */
export interface RunPlan {
  runDir: string;
  /** The manifest to write when the run starts (a resumed run's, updated for this session). */
  manifest: Manifest;
  /** Every worker of the run, in manifest order. */
  workers: PlannedWorker[];
  /** Templates for rendering the prompts of workers that receive earlier results. */
  templates: TemplateSet | undefined;
  /** Whether this continues a recorded run (`runs resume`). */
  resumed: boolean;
  /**
   * The stored records of workers a runner that died left `running` (`runs resume`): their
   * executors end whatever of them may still run before anything starts.
   */
  orphans?: WorkerRecord[];
  /**
   * The seal of the record a resume was planned from: the run starts only if, once its folder
   * is owned, the record still carries it (another runner may have taken the run up meanwhile).
   */
  basis?: string;
  /** The executors (and settings) the run is planned with. */
  kinds: RunKinds;
}

/** Options of {@link planRun}. */
export interface PlanRunOptions {
  templates: TemplateSet;
  /** Template folders layered over the built-ins (recorded, so a resume renders alike; default none). */
  templateDirs?: readonly string[];
  /** The project folder: workers run in it or below it. */
  cwd: string;
  /** Where to record the run (checked to be free when the run starts). */
  runDir: string;
  settings: RunSettings;
  kinds: RunKinds;
  /** The command line after `run`, for the record (default none). */
  argv?: readonly string[];
  /** Folder the run was asked from (default `cwd`). */
  invokedFrom?: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Files the run reads (the plan file, a context pack), absolute. */
  reads?: readonly string[];
}

/**
 * Plan a new run: render and check every worker of `source` (unknown lens, missing parameter,
 * two writers on one path, ...), let each executor shape its workers, and make the manifest.
 *
 * @throws {UserError} when the work is invalid; nothing ran.
 */
export function planRun(source: WorkSource, options: PlanRunOptions): RunPlan {
  const { settings, kinds } = options;
  const workers = planWorkers(source, {
    templates: options.templates,
    cwd: options.cwd,
    runDir: options.runDir,
    settings,
    executors: kinds.executors,
    env: options.env,
    ...(options.reads ? { reads: options.reads } : {}),
  });
  const manifest = createManifest({
    runDir: options.runDir,
    cwd: options.cwd,
    invokedFrom: options.invokedFrom ?? options.cwd,
    argv: options.argv ?? [],
    templateDirs: options.templateDirs ?? [],
    settings,
    specs: workers.map((w) => w.spec),
    executorOf: (kind) => kinds.executors.find((e) => e.kind === kind) as NonNullable<ReturnType<typeof kinds.executors.find>>,
  });
  return { runDir: options.runDir, manifest, workers, templates: options.templates, resumed: false, kinds };
}

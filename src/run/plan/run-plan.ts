import type { TemplateSet } from '../../templates/model.js';
import { createManifest } from '../record/manifest.js';
import type { Manifest, RunSettings } from '../record/model.js';
import { planWorkers, type ExecutorDefaults, type PlannedWorker, type WorkSource } from './plan-workers.js';

/**
 * A run ready to start (or to show with `--dry-run`): every worker rendered and checked, and
 * the manifest it will write. Nothing is on disk yet.
 */
export interface RunPlan {
  runDir: string;
  /** The manifest to write when the run starts (a resumed run's, updated for this session). */
  manifest: Manifest;
  /** Every worker of the run, in manifest order. */
  workers: PlannedWorker[];
  /** Templates for rendering the prompts of workers that receive earlier results. */
  templates: TemplateSet | undefined;
  /** Whether this continues a recorded run (`--resume`). */
  resumed: boolean;
  /** Workers a dead runner left behind, to end before anything starts (resume only). */
  stale: Array<{ pid: number; marker: string; mark: string }>;
}

/** Options of {@link planRun}. */
export interface PlanRunOptions {
  templates: TemplateSet;
  /** Template folders layered over the built-ins (recorded, so `--resume` renders alike). */
  templateDirs: readonly string[];
  /** The project folder: workers run in it or below it. */
  cwd: string;
  /** Where to record the run (checked to be free when the run starts). */
  runDir: string;
  settings: RunSettings;
  /** The command line after `run`, for the record. */
  argv: readonly string[];
  /** Folder the run was asked from. */
  invokedFrom: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Where workers run unless a plan worker says otherwise (`--executor` and its flags). */
  executor?: ExecutorDefaults;
  /** Files the run reads (the plan file, a context pack), absolute. */
  reads?: readonly string[];
}

/**
 * Plan a new run: render and check every worker of `source` (unknown lens, missing parameter,
 * two writers on one path, ...), and make its manifest.
 *
 * @throws {UserError} when the work is invalid; nothing ran.
 */
export function planRun(source: WorkSource, options: PlanRunOptions): RunPlan {
  const { settings } = options;
  const workers = planWorkers(source, {
    templates: options.templates,
    cwd: options.cwd,
    synthesize: settings.merge && !settings.structured,
    structured: settings.structured,
    env: options.env,
    runDir: options.runDir,
    isolation: settings.isolation ?? 'none',
    fromDirty: settings.fromDirty === true,
    ...(settings.model !== undefined ? { model: settings.model } : {}),
    ...(settings.reasoningEffort !== undefined ? { reasoningEffort: settings.reasoningEffort } : {}),
    ...(settings.sandbox !== undefined ? { sandbox: settings.sandbox } : {}),
    ...(options.executor ? { executor: options.executor } : {}),
    ...(options.reads ? { reads: options.reads } : {}),
  });
  const manifest = createManifest({
    runDir: options.runDir,
    cwd: options.cwd,
    invokedFrom: options.invokedFrom,
    argv: options.argv,
    templateDirs: options.templateDirs,
    settings,
    specs: workers.map((w) => w.spec),
  });
  return { runDir: options.runDir, manifest, workers, templates: options.templates, resumed: false, stale: [] };
}

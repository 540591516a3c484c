import { UserError } from '../errors/index.js';
import { planRun, preflightRun, type RunKinds, type RunPlan, type Setting, type SettingValue, type WorkSource } from '../run/index.js';
import type { TemplateSet } from '../templates/model.js';
import { checkDollarBudget, resolveSettings, type RunPlace } from './run-settings.js';

/** What a front end asks for when it starts a new run (`run`, the MCP server's `start_run`). */
export interface NewRunRequest extends RunPlace {
  source: WorkSource;
  templates: TemplateSet;
  /** Template folders layered over the built-ins (recorded, so that a resume renders alike). */
  templateDirs: readonly string[];
  kinds: RunKinds;
  /** The settings given, in order (a plan's `settings:`, then the command line's). */
  given: ReadonlyArray<[Setting, SettingValue]>;
  /** The project folder workers work in (default: `cwd`). */
  project?: string;
  runDir: string;
  /** What was asked, for the record (the command line after `run`). */
  argv: readonly string[];
  /** Files the run reads (a plan file, a context pack), absolute. */
  reads?: readonly string[];
}

/**
 * Plan a new run as every front end plans one: the settings resolved (defaults, `$CODEX_BIN`,
 * what was given, the price table), every worker rendered and checked, a dollar budget refused
 * when it cannot be counted.
 *
 * @throws {UserError} what `planRun` and the settings throw; nothing ran.
 */
export function planNewRun(request: NewRunRequest): RunPlan {
  const settings = resolveSettings(request.kinds.settings, request.given, request);
  const plan = planRun(request.source, {
    templates: request.templates,
    templateDirs: request.templateDirs,
    cwd: request.project ?? request.cwd,
    runDir: request.runDir,
    settings,
    kinds: request.kinds,
    argv: request.argv,
    invokedFrom: request.cwd,
    env: request.env,
    ...(request.reads ? { reads: request.reads } : {}),
  });
  checkDollarBudget(settings, plan.manifest.workers);
  return plan;
}

/**
 * Check, before any worker starts, that the workers could work here (network to the model, a
 * run folder that can be written); returns the model endpoint they use, when known.
 *
 * @throws {UserError} `run-preflight` with the causes and fixes in one line.
 */
export async function checkReady(plan: RunPlan, env: RunPlace['env']): Promise<string | undefined> {
  const ready = await preflightRun(plan, env);
  if (ready.message !== null) throw new UserError('run-preflight', ready.message);
  return ready.endpoint;
}

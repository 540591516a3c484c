import { UserError } from '../../errors/index.js';
import type { TemplateSet } from '../../templates/model.js';
import type { Executor, PlanContext } from '../executor/executor.js';
import { runKinds } from '../executor/kinds.js';
import type { RenderRecipe, WorkerInputs, WorkerSpec } from '../record/model.js';
import type { RunSettings } from '../settings/run-settings.js';
import { handOverFrom } from './hand-over.js';
import { pathsOverlap } from './overlap.js';
import { coreWorkerKeys, type Plan, type PlanWorker } from './plan-file.js';
import { defaultIntoFor, pendingInputs, renderRecipe, withReceived } from './worker-prompt.js';
import { workerFolder, workerSpec, type SpecContext, type WorkerChoices } from './worker-spec.js';

/** What to run: one role (optionally once per lens), or the stages of a plan. */
export type WorkSource =
  | { kind: 'role'; recipe: RenderRecipe; eachLens: string[] }
  | { kind: 'plan'; plan: Plan; file: string; context: Record<string, string> };

/** A worker to run: its spec, and the warnings from rendering its prompt (size over budget). */
export interface PlannedWorker {
  spec: WorkerSpec;
  warnings: string[];
  /** Where it was asked for, for messages: `plan.yaml: stages[0].workers[1] (reviewer)`. */
  where: string;
}

/** Options of {@link planWorkers}. */
export interface PlanWorkersOptions {
  templates: TemplateSet;
  /** The project folder: workers run in it (`--cd`, else the current folder). */
  cwd: string;
  /** The run folder. */
  runDir: string;
  settings: RunSettings;
  executors: readonly Executor[];
  env: Readonly<Record<string, string | undefined>>;
  /** Files the run reads (the plan file, a context pack), absolute. */
  reads?: readonly string[];
}

/**
 * Turn a work source into workers with rendered, validated prompts. Every prompt is rendered
 * now, so a bad lens or a missing parameter fails before anything runs; a worker that receives
 * earlier stages' messages is rendered again with them when its stage starts. Then each
 * executor shapes its workers (the local one puts writers in worktrees), and two writers in
 * one stage that would change the same files in place are refused.
 *
 * @throws {UserError} `worker-invalid` naming the plan entry.
 */
export function planWorkers(source: WorkSource, options: PlanWorkersOptions): PlannedWorker[] {
  const context: SpecContext = { templates: options.templates, settings: options.settings, executors: options.executors };
  const ids = new Map<string, string>();
  const workers = source.kind === 'role' ? roleWorkers(source, options, context, ids) : planEntries(source, options, context, ids);
  if (options.settings.merge && !options.settings.structured) workers.push(synthesizer(source, workers, options, context, ids));
  const planContext: PlanContext = { runDir: options.runDir, cwd: options.cwd, settings: options.settings, env: options.env, reads: options.reads ?? [] };
  for (const executor of options.executors) {
    const own = workers.filter((w) => w.spec.executor.kind === executor.kind);
    if (own.length > 0) executor.plan?.(own, planContext);
  }
  for (const stage of new Set(workers.map((w) => w.spec.stage))) {
    const members = workers.filter((w) => w.spec.stage === stage);
    checkWriters(members, options.executors, source.kind === 'plan' ? `${source.file}: stages[${stage}] (${members[0]?.spec.stageName ?? ''})` : 'this run');
  }
  return workers;
}

/** One worker for the role, or one per distinct lens (`--each-lens`). */
function roleWorkers(source: Extract<WorkSource, { kind: 'role' }>, options: PlanWorkersOptions, context: SpecContext, ids: Map<string, string>): PlannedWorker[] {
  const base = source.recipe;
  const lensSets = source.eachLens.length > 0 ? source.eachLens.map((lens) => [...base.lenses, lens]) : [base.lenses];
  const workers: PlannedWorker[] = [];
  for (const lenses of lensSets) {
    const result = renderRecipe({ ...base, lenses }, options.templates, undefined);
    const id = [base.role, ...result.lenses].join('-');
    // `--each-lens risks,risks` or a lens and its alias name one lens: one worker for it.
    if (ids.has(id)) continue;
    ids.set(id, id);
    const spec = workerSpec({ id, stage: 0, stageName: 'main', cwd: options.cwd, paths: ['.'] }, result, { where: 'this run', executorKeys: {}, executorWhere: `--executor ${options.settings.executor}` }, context);
    workers.push({ spec, warnings: result.warnings, where: 'this run' });
  }
  return workers;
}

/** Every worker of a plan's stages. */
function planEntries(source: Extract<WorkSource, { kind: 'plan' }>, options: PlanWorkersOptions, context: SpecContext, ids: Map<string, string>): PlannedWorker[] {
  const { plan, file } = source;
  const workers: PlannedWorker[] = [];
  for (const [i, stage] of plan.stages.entries()) {
    for (const [j, entry] of stage.workers.entries()) {
      const place = `stages[${i}].workers[${j}]`;
      const where = `${file}: ${place} (${entry.role})`;
      const cwd = workerFolder(options.cwd, entry.cd, where);
      let recipe: RenderRecipe = { role: entry.role, params: { ...entry.params }, lenses: entry.lenses ?? [], context: { ...source.context, ...plan.context, ...entry.context } };
      if (entry.task !== undefined) recipe.task = entry.task;
      if (entry.scope !== undefined) recipe.scope = entry.scope;
      // A finished run's results (a review feeding this fix) are part of the prompt from the start.
      if (entry.from !== undefined) recipe = withReceived(recipe, options.templates, entry.into ?? defaultIntoFor(entry.role, options.templates), handOverFrom(entry.from, options.cwd, `run: ${where}: from`, runKinds(options.executors)).text, where);
      let inputs: WorkerInputs | undefined;
      if ((entry.inputs ?? []).length > 0) inputs = { stages: entry.inputs ?? [], into: entry.into ?? defaultIntoFor(entry.role, options.templates), recipe };
      const preview = renderRecipe(recipe, options.templates, where, inputs, inputs && pendingInputs(inputs.stages));
      const id = claimId(ids, entry.id ?? [stage.name, entry.role, ...preview.lenses].join('-'), `${file}: ${place}`, entry.id !== undefined);
      const spec = workerSpec({ id, stage: i, stageName: stage.name, cwd, paths: entry.paths ?? ['.'] }, preview, choicesOf(entry, where), context);
      if (inputs) spec.inputs = inputs;
      workers.push({ spec, warnings: preview.warnings, where });
    }
  }
  return workers;
}

/** What a plan worker chose over its role, its executor's keys apart. */
function choicesOf(entry: PlanWorker, where: string): WorkerChoices {
  const executorKeys = Object.fromEntries(Object.entries(entry).filter(([key]) => !coreWorkerKeys.includes(key)));
  return {
    where,
    executorKeys,
    ...(entry.model !== undefined ? { model: entry.model } : {}),
    ...(entry['reasoning-effort'] !== undefined ? { reasoningEffort: entry['reasoning-effort'] } : {}),
    ...(entry.sandbox !== undefined ? { sandbox: entry.sandbox } : {}),
    ...(entry.executor !== undefined ? { executor: entry.executor } : {}),
  };
}

/** Worker ids name folders and results: a second worker with the same id is an error, never renamed. */
function claimId(ids: Map<string, string>, id: string, place: string, explicit: boolean): string {
  const first = ids.get(id);
  if (first !== undefined) {
    const fix = explicit ? 'ids must be unique' : 'give them distinct `id`s';
    throw new UserError('worker-invalid', `${place}: two workers would be called \`${id}\` (${first} and ${place.replace(/^.*: /, '')}); ${fix}`);
  }
  ids.set(id, place.replace(/^.*: /, ''));
  return id;
}

/** `--merge` without `--structured`: a last stage where the synthesizer receives every result. */
function synthesizer(source: WorkSource, workers: readonly PlannedWorker[], options: PlanWorkersOptions, context: SpecContext, ids: Map<string, string>): PlannedWorker {
  const stages = [...new Set(workers.map((w) => w.spec.stageName))];
  const stage = Math.max(...workers.map((w) => w.spec.stage)) + 1;
  const recipeContext = source.kind === 'plan' ? { ...source.context, ...source.plan.context } : { ...source.recipe.context };
  const recipe: RenderRecipe = { role: 'synthesizer', params: {}, lenses: [], context: recipeContext };
  const inputs: WorkerInputs = { stages, into: 'results', recipe };
  const preview = renderRecipe(recipe, options.templates, undefined, inputs, '(the final messages of every worker, filled in when the merge starts)');
  const taken = ids.get('merge');
  if (taken !== undefined) throw new UserError('worker-invalid', `--merge adds a worker called \`merge\`, but ${taken} already has that id; rename it`);
  const spec = workerSpec({ id: 'merge', stage, stageName: 'merge', cwd: options.cwd, paths: ['.'] }, preview, { where: '--merge', executorKeys: {}, executorWhere: `--executor ${options.settings.executor}` }, context);
  spec.inputs = inputs;
  return { spec, warnings: preview.warnings, where: '--merge' };
}

/** Two writers in one stage that would change the same files in place are refused (each set apart is fine). */
function checkWriters(stageWorkers: readonly PlannedWorker[], executors: readonly Executor[], where: string): void {
  const apart = (spec: WorkerSpec): boolean => executors.find((e) => e.kind === spec.executor.kind)?.setsApart?.(spec) === true;
  const writers = stageWorkers.filter((w) => w.spec.sandbox === 'workspace-write' && !apart(w.spec));
  for (const [i, a] of writers.entries()) {
    for (const b of writers.slice(i + 1)) {
      if (pathsOverlap(a.spec, b.spec)) {
        throw new UserError(
          'worker-invalid',
          `${where}: editing workers \`${a.spec.id}\` and \`${b.spec.id}\` may change the same files (paths ${a.spec.paths.join(', ')} and ${b.spec.paths.join(', ')}); put them in separate stages, give them disjoint \`paths\`, or run them in worktrees (\`isolation: worktree\`)`,
        );
      }
    }
  }
}

import { existsSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../../errors/index.js';
import type { RenderResult } from '../../prompt/render.js';
import type { TemplateSet } from '../../templates/model.js';
import { gitWorkTreeProbe } from '../local/git-work-tree.js';
import type { CloudExecutor, ExecutorKind, Isolation, ReasoningEffort, RenderRecipe, SandboxMode, WorkerInputs, WorkerSpec } from '../record/model.js';
import { pathsOverlap } from './overlap.js';
import { isInside } from '../../fs/path-inside.js';
import type { Plan, PlanWorker } from './plan-file.js';
import { handOverFrom } from './hand-over.js';
import { defaultIntoFor, pendingInputs, renderRecipe, withReceived } from './worker-prompt.js';
import { worktreePlanner } from '../local/worktree/plan-worktree.js';

/** What to run: one role (optionally once per lens), or the stages of a plan. */
export type WorkSource =
  | { kind: 'role'; recipe: RenderRecipe; eachLens: string[] }
  | { kind: 'plan'; plan: Plan; file: string; context: Record<string, string> };

/** A worker to run: its spec, and the warnings from rendering its prompt (size over budget). */
export interface PlannedWorker {
  spec: WorkerSpec;
  warnings: string[];
}

/** Options of {@link planWorkers}. */
export interface PlanWorkersOptions {
  templates: TemplateSet;
  /** The project folder: workers run in it (`--cd`, else the current folder). */
  cwd: string;
  /** Add a `synthesizer` stage over every result (`--merge` without `--structured`). */
  synthesize: boolean;
  /** Pass each role's output schema on (`--structured`). */
  structured: boolean;
  /** Environment for asking git whether a folder is in a work tree (its PATH finds git). */
  env?: Readonly<Record<string, string | undefined>>;
  /** The run folder (worktrees of isolated workers go in it). */
  runDir: string;
  /** How editing workers share the project (`--isolation`; a plan worker's `isolation` wins). */
  isolation: Isolation;
  /** Copy uncommitted changes into worktrees instead of refusing a dirty tree. */
  fromDirty: boolean;
  /** Files the run reads (the plan file, a context pack), absolute: their changes never make a tree dirty. */
  reads?: readonly string[];
  /** `--model`: overrides every plan worker's and role's. */
  model?: string;
  /** `--reasoning-effort`: overrides every plan worker's and role's. */
  reasoningEffort?: ReasoningEffort;
  /** `--sandbox read-only`: narrows every worker. */
  sandbox?: SandboxMode;
  /** Where workers run unless a plan worker says otherwise (`--executor`, `--env`, ...); default local. */
  executor?: ExecutorDefaults;
}

/** What a plan worker chose for itself over its role. */
interface WorkerChoices {
  where?: string;
  isolation?: Isolation;
  model?: string;
  reasoningEffort?: ReasoningEffort;
  sandbox?: SandboxMode;
  /** A Codex Cloud task instead of `codex exec` here. */
  executor?: CloudExecutor;
}

/**
 * The sandbox of a worker: what `edits` implies, narrowed by each request in turn (the role's,
 * the plan worker's, the command line's). A request to widen it is refused: a plan must not turn
 * a reviewer into a writer.
 */
function sandboxOf(edits: boolean, requests: ReadonlyArray<SandboxMode | undefined>, where: string | undefined): SandboxMode {
  let sandbox: SandboxMode = edits ? 'workspace-write' : 'read-only';
  for (const request of requests) {
    if (request === undefined) continue;
    if (request === 'workspace-write' && sandbox === 'read-only') {
      throw new UserError('worker-invalid', `run: ${where ?? 'this run'}: \`sandbox: workspace-write\` would widen a read-only worker; a sandbox may only be narrowed (give the role \`edits: true\` to let it write)`);
    }
    sandbox = request;
  }
  return sandbox;
}

/** The run's executor flags: the default of every worker (a plan worker may choose its own). */
export interface ExecutorDefaults {
  kind: ExecutorKind;
  env?: string;
  attempts?: number;
  branch?: string;
}

/**
 * Turn a work source into workers with rendered, validated prompts. Every prompt is rendered
 * now, so a bad lens or a missing parameter fails before anything runs; a worker that receives
 * earlier stages' messages is rendered again with them when its stage starts.
 *
 * @throws {UserError} `worker-invalid` naming the plan entry.
 */
export function planWorkers(source: WorkSource, options: PlanWorkersOptions): PlannedWorker[] {
  const workers: PlannedWorker[] = [];
  // Worker ids name folders and results: a second worker with the same id is an error, never renamed.
  const ids = new Map<string, string>();
  const claimId = (id: string, file: string, place: string, explicit: boolean): string => {
    const first = ids.get(id);
    if (first !== undefined) {
      const fix = explicit ? 'ids must be unique' : 'give them distinct `id`s';
      throw new UserError('worker-invalid', `${file}: ${place}: two workers would be called \`${id}\` (${first} and ${place}); ${fix}`);
    }
    ids.set(id, place);
    return id;
  };
  const inGitRepo = gitWorkTreeProbe(options.env);
  const worktrees = worktreePlanner({ runDir: options.runDir, fromDirty: options.fromDirty, ...(options.reads ? { reads: options.reads } : {}), ...(options.env ? { env: options.env } : {}) });
  const specOf = (id: string, stage: number, stageName: string, result: RenderResult, cwd: string, paths: string[], entry: WorkerChoices = {}): WorkerSpec => {
    const role = options.templates.roles[result.role];
    const sandbox = sandboxOf(result.edits, [role?.sandbox, entry.sandbox, options.sandbox], entry.where);
    const spec: WorkerSpec = { id, stage, stageName, role: result.role, lenses: result.lenses, prompt: result.prompt, edits: result.edits, paths, cwd, inGitRepo: inGitRepo(cwd), sandbox };
    if (entry.executor) spec.executor = entry.executor;
    // The command line wins over the plan worker, which wins over the role.
    const model = options.model ?? entry.model ?? role?.model;
    if (model !== undefined) spec.model = model;
    const effort = options.reasoningEffort ?? entry.reasoningEffort ?? role?.reasoningEffort;
    if (effort !== undefined) spec.reasoningEffort = effort;
    // Only a writer needs its own tree: readers see the project as it is.
    if ((entry.isolation ?? options.isolation) === 'worktree' && sandbox === 'workspace-write' && !entry.executor) {
      const planned = worktrees.plan(id, cwd, paths);
      spec.worktree = planned.worktree;
      spec.cwd = planned.cwd;
      spec.inGitRepo = true;
    }
    if (options.structured && result.outputSchema && !entry.executor) spec.outputSchema = result.outputSchema as Record<string, unknown>;
    const webSearch = role?.webSearch;
    if (webSearch !== undefined) spec.webSearch = webSearch;
    return spec;
  };

  if (source.kind === 'role') {
    const base = source.recipe;
    const lensSets = source.eachLens.length > 0 ? source.eachLens.map((lens) => [...base.lenses, lens]) : [base.lenses];
    for (const lenses of lensSets) {
      const result = renderRecipe({ ...base, lenses }, options.templates, undefined);
      const id = [base.role, ...result.lenses].join('-');
      // `--each-lens risks,risks` or a lens and its alias name one lens: one worker for it.
      if (ids.has(id)) continue;
      ids.set(id, id);
      workers.push({ spec: specOf(id, 0, 'main', result, options.cwd, ['.'], withExecutor(executorOf(undefined, options, 'this run'))), warnings: result.warnings });
    }
  } else {
    const { plan, file } = source;
    for (const [i, stage] of plan.stages.entries()) {
      for (const [j, entry] of stage.workers.entries()) {
        const where = `${file}: stages[${i}].workers[${j}] (${entry.role})`;
        const cwd = workerFolder(options.cwd, entry.cd, where);
        let recipe: RenderRecipe = { role: entry.role, params: { ...entry.params }, lenses: entry.lenses ?? [], context: { ...source.context, ...plan.context, ...entry.context } };
        if (entry.task !== undefined) recipe.task = entry.task;
        if (entry.scope !== undefined) recipe.scope = entry.scope;
        // A finished run's results (a review feeding this fix) are part of the prompt from the start.
        if (entry.from !== undefined) recipe = withReceived(recipe, options.templates, entry.into ?? defaultIntoFor(entry.role, options.templates), handOverFrom(entry.from, options.cwd, `run: ${where}: from`).text, where);
        let inputs: WorkerInputs | undefined;
        if ((entry.inputs ?? []).length > 0) inputs = { stages: entry.inputs ?? [], into: entry.into ?? defaultIntoFor(entry.role, options.templates), recipe };
        const preview = renderRecipe(recipe, options.templates, where, inputs, inputs && pendingInputs(inputs.stages));
        const id = claimId(entry.id ?? [stage.name, entry.role, ...preview.lenses].join('-'), file, `stages[${i}].workers[${j}]`, entry.id !== undefined);
        if (entry.isolation === 'worktree' && !preview.edits) {
          throw new UserError('worker-invalid', `run: ${where}: \`isolation: worktree\` is for editing roles, and \`${entry.role}\` does not edit; remove it`);
        }
        const choices: WorkerChoices = { where };
        if (entry.isolation !== undefined) choices.isolation = entry.isolation;
        if (entry.model !== undefined) choices.model = entry.model;
        if (entry['reasoning-effort'] !== undefined) choices.reasoningEffort = entry['reasoning-effort'];
        if (entry.sandbox !== undefined) choices.sandbox = entry.sandbox;
        const executor = executorOf(entry, options, where);
        if (executor) choices.executor = executor;
        const spec = specOf(id, i, stage.name, preview, cwd, entry.paths ?? ['.'], choices);
        if (inputs) spec.inputs = inputs;
        workers.push({ spec, warnings: preview.warnings });
      }
      checkWriters(workers.filter((w) => w.spec.stage === i), `${file}: stages[${i}] (${stage.name})`);
    }
  }

  if (options.synthesize) {
    const stages = [...new Set(workers.map((w) => w.spec.stageName))];
    const stage = Math.max(...workers.map((w) => w.spec.stage)) + 1;
    const context = source.kind === 'plan' ? { ...source.context, ...source.plan.context } : { ...source.recipe.context };
    const recipe: RenderRecipe = { role: 'synthesizer', params: {}, lenses: [], context };
    const inputs: WorkerInputs = { stages, into: 'results', recipe };
    const preview = renderRecipe(recipe, options.templates, undefined, inputs, '(the final messages of every worker, filled in when the merge starts)');
    const taken = ids.get('merge');
    if (taken !== undefined) throw new UserError('worker-invalid', `--merge adds a worker called \`merge\`, but ${taken} already has that id; rename it`);
    const spec = specOf('merge', stage, 'merge', preview, options.cwd, ['.'], { isolation: 'none', ...withExecutor(executorOf(undefined, options, '--merge')) });
    spec.inputs = inputs;
    workers.push({ spec, warnings: preview.warnings });
  }
  if (source.kind === 'role') checkWriters(workers, 'this run');
  worktrees.checkClean();
  return workers;
}

/** The executor choice of a worker, as {@link WorkerChoices}. */
function withExecutor(executor: CloudExecutor | undefined): WorkerChoices {
  return executor ? { executor } : {};
}

/**
 * Where a worker runs: its plan entry's `executor` (with `env`, `attempts`, `branch`), else the
 * run's flags. Undefined means locally. A cloud worker needs an environment id; cloud keys on a
 * local worker are a mistake, and `--structured` has no cloud equivalent (no output schema).
 */
function executorOf(entry: PlanWorker | undefined, options: PlanWorkersOptions, where: string): CloudExecutor | undefined {
  const defaults = options.executor ?? { kind: 'local' };
  const kind = entry?.executor ?? defaults.kind;
  if (kind === 'local') {
    const cloudKey = (['env', 'attempts', 'branch'] as const).find((key) => entry?.[key] !== undefined);
    if (cloudKey !== undefined) throw new UserError('worker-invalid', `${where}: \`${cloudKey}\` is for \`executor: cloud\` only; this worker runs locally`);
    return undefined;
  }
  const env = entry?.env ?? defaults.env;
  if (env === undefined) throw new UserError('worker-invalid', `${where}: a cloud worker needs a Codex Cloud environment: \`env: ENV_ID\` in the plan or --env ENV_ID (see \`codex cloud\`)`);
  if (options.structured) throw new UserError('worker-invalid', `${where}: --structured cannot run in the cloud (codex cloud exec takes no output schema); run this worker locally or drop --structured`);
  const branch = entry?.branch ?? defaults.branch;
  return { kind: 'cloud', env, attempts: entry?.attempts ?? defaults.attempts ?? 1, ...(branch !== undefined ? { branch } : {}) };
}

/**
 * The folder a plan worker runs in: its `cd`, which must stay inside the project (after
 * following symbolic links), or an editing worker would get a writable sandbox on any folder.
 */
function workerFolder(project: string, cd: string | undefined, where: string): string {
  const cwd = resolve(project, cd ?? '.');
  if (!existsSync(cwd)) throw new UserError('worker-invalid', `${where}: \`cd: ${cd ?? '.'}\`: no such folder`);
  if (!isInside(realpathSync(cwd), realpathSync(project))) {
    throw new UserError('worker-invalid', `${where}: \`cd: ${cd ?? '.'}\` leads outside the project folder ${project}; a worker runs in the project or below it`);
  }
  return cwd;
}

/** Two editing workers on overlapping paths in one stage would run together: refuse (each in its own worktree is fine). */
function checkWriters(stageWorkers: readonly PlannedWorker[], where: string): void {
  const writers = stageWorkers.filter((w) => w.spec.sandbox === 'workspace-write' && !w.spec.worktree);
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

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { renderPrompt, type RenderOptions, type RenderResult } from '../prompt/render.js';
import { PromptError } from '../prompt/prompt-error.js';
import type { TemplateSet } from '../templates/model.js';
import type { WorkerSpec } from './model.js';
import { pathsOverlap } from './overlap.js';
import { PlanError, type Plan } from './plan.js';
import { insideGitWorkTree } from './git-work-tree.js';
import type { PlannedWorker } from './scheduler.js';

/** What to run, as the command line described it. */
export type WorkSource =
  | { kind: 'role'; role: string; options: RenderOptions; eachLens: string[] }
  | { kind: 'plan'; plan: Plan; file: string; context: Record<string, string> };

/** Options of {@link buildWorkers}. */
export interface BuildOptions {
  templates: TemplateSet;
  /** Folder workers run in (`--cd`, else the current folder). */
  cwd: string;
  /** Add a `synthesizer` stage over every result (`--merge` without `--structured`). */
  synthesize: boolean;
  /** Pass each role's output schema on (`--structured`). */
  structured: boolean;
  /** Environment for asking git whether a folder is in a work tree (its PATH finds git). */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Role parameter that receives earlier results by default, else this context-pack field. */
const defaultInto = { parameter: 'results', field: 'pointers' };

/**
 * Turn the command line into workers with rendered, validated prompts. Every prompt is rendered
 * now, so a bad lens or a missing parameter fails before anything runs; a worker that receives
 * earlier stages' messages is rendered again with them when its stage starts.
 */
export function buildWorkers(source: WorkSource, options: BuildOptions): PlannedWorker[] {
  const workers: PlannedWorker[] = [];
  const ids = new Set<string>();
  const uniqueId = (base: string): string => {
    let id = base;
    for (let n = 2; ids.has(id); n++) id = `${base}-${n}`;
    ids.add(id);
    return id;
  };

  if (source.kind === 'role') {
    const lensSets = source.eachLens.length > 0 ? source.eachLens.map((lens) => [...(source.options.lenses ?? []), lens]) : [source.options.lenses ?? []];
    for (const lenses of lensSets) {
      const result = renderPrompt(source.role, { ...source.options, templates: options.templates, lenses });
      workers.push({ spec: specOf(uniqueId([source.role, ...result.lenses].join('-')), 0, 'main', result, options.cwd, ['.'], options), warnings: result.warnings });
    }
  } else {
    const { plan, file } = source;
    for (const [i, stage] of plan.stages.entries()) {
      for (const [j, entry] of stage.workers.entries()) {
        const where = `${file}: stages[${i}].workers[${j}] (${entry.role})`;
        const cwd = resolve(options.cwd, entry.cd ?? '.');
        if (!existsSync(cwd)) throw new PlanError(`${where}: \`cd: ${entry.cd ?? '.'}\`: no such folder`);
        const role = options.templates.roles[entry.role];
        const base: RenderOptions = {
          templates: options.templates,
          params: { ...entry.params },
          lenses: entry.lenses ?? [],
          context: { ...source.context, ...plan.context, ...entry.context },
        };
        if (entry.task !== undefined) base.task = entry.task;
        if (entry.scope !== undefined) base.scope = entry.scope;
        const inputs = entry.inputs ?? [];
        const into = entry.into ?? (role?.parameters.some((p) => p.name === defaultInto.parameter) ? defaultInto.parameter : defaultInto.field);
        const withReceived = (received: string): RenderOptions => {
          if (inputs.length === 0) return base;
          if (role?.parameters.some((p) => p.name === into)) return { ...base, params: { ...base.params, [into]: join(base.params?.[into], received) } };
          if (options.templates.contextPack.fields.some((f) => f.flag === into)) return { ...base, context: { ...base.context, [into]: join(base.context?.[into], received) } };
          throw new PlanError(`${where}: \`into: ${into}\` is neither a parameter of \`${entry.role}\` nor a context-pack field`);
        };
        const render = (received: string): RenderResult => {
          try {
            return renderPrompt(entry.role, withReceived(received));
          } catch (error) {
            if (error instanceof PromptError) throw new PlanError(`${where}: ${error.message}`);
            throw error;
          }
        };
        const preview = render(`(final messages of ${inputs.map((s) => `\`${s}\``).join(', ')}, filled in when this stage starts)`);
        const id = uniqueId(entry.id ?? [stage.name, entry.role, ...preview.lenses].join('-'));
        const spec = specOf(id, i, stage.name, preview, cwd, entry.paths ?? ['.'], options);
        if (inputs.length > 0) spec.inputs = { stages: inputs, into };
        const planned: PlannedWorker = { spec, warnings: preview.warnings };
        if (inputs.length > 0) planned.renderWith = (received) => render(received).prompt;
        workers.push(planned);
      }
      checkWriters(workers.filter((w) => w.spec.stage === i), `${file}: stages[${i}] (${stage.name})`);
    }
  }

  if (options.synthesize) {
    const stages = [...new Set(workers.map((w) => w.spec.stageName))];
    const stage = Math.max(...workers.map((w) => w.spec.stage)) + 1;
    const context = source.kind === 'plan' ? { ...source.context, ...source.plan.context } : { ...source.options.context };
    const render = (received: string): RenderResult => renderPrompt('synthesizer', { templates: options.templates, params: { results: received }, context });
    const preview = render('(the final messages of every worker, filled in when the merge starts)');
    const spec = specOf(uniqueId('merge'), stage, 'merge', preview, options.cwd, ['.'], options);
    spec.inputs = { stages, into: 'results' };
    workers.push({ spec, renderWith: (received) => render(received).prompt, warnings: preview.warnings });
  }
  if (source.kind === 'role') checkWriters(workers, 'this run');
  return workers;
}

function specOf(id: string, stage: number, stageName: string, result: RenderResult, cwd: string, paths: string[], options: BuildOptions): WorkerSpec {
  const spec: WorkerSpec = { id, stage, stageName, role: result.role, lenses: result.lenses, prompt: result.prompt, edits: result.edits, paths, cwd, inGitRepo: insideGitWorkTree(cwd, options.env) };
  if (options.structured && result.outputSchema) spec.outputSchema = result.outputSchema as Record<string, unknown>;
  return spec;
}

/** Two editing workers on overlapping paths in one stage would run together: refuse. */
function checkWriters(stageWorkers: readonly PlannedWorker[], where: string): void {
  const writers = stageWorkers.filter((w) => w.spec.edits);
  for (const [i, a] of writers.entries()) {
    for (const b of writers.slice(i + 1)) {
      if (pathsOverlap(a.spec, b.spec)) {
        throw new PlanError(`${where}: editing workers \`${a.spec.id}\` and \`${b.spec.id}\` may change the same files (paths ${a.spec.paths.join(', ')} and ${b.spec.paths.join(', ')}); put them in separate stages or give them disjoint \`paths\``);
      }
    }
  }
}

function join(existing: string | undefined, received: string): string {
  return existing === undefined || existing.trim() === '' ? received : `${existing}\n\n${received}`;
}

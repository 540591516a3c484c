import { isUserError, UserError } from '../../errors/index.js';
import { renderPrompt, type RenderOptions, type RenderResult } from '../../prompt/render.js';
import type { TemplateSet } from '../../templates/model.js';
import type { RenderRecipe, WorkerInputs } from '../record/model.js';

/** Role parameter that receives earlier results by default, else this context-pack field. */
const defaultInto = { parameter: 'results', field: 'pointers' };

/** Where a worker of `role` receives earlier results when its plan does not say (`into`). */
export function defaultIntoFor(role: string, templates: TemplateSet): string {
  return templates.roles[role]?.parameters.some((p) => p.name === defaultInto.parameter) ? defaultInto.parameter : defaultInto.field;
}

/**
 * Render a worker's prompt from its recipe; with `inputs`, the earlier stages' final messages
 * (`received`) go into the role parameter or context-pack field `inputs.into`, after any value
 * already there. A prompt error becomes a {@link UserError}, prefixed with `where` when given.
 */
export function renderRecipe(recipe: RenderRecipe, templates: TemplateSet, where: string | undefined, inputs?: Pick<WorkerInputs, 'into'>, received?: string): RenderResult {
  const options: RenderOptions = { templates, params: { ...recipe.params }, lenses: recipe.lenses, context: { ...recipe.context } };
  if (recipe.task !== undefined) options.task = recipe.task;
  if (recipe.scope !== undefined) options.scope = recipe.scope;
  if (inputs !== undefined && received !== undefined) {
    const filled = withReceived(recipe, templates, inputs.into, received, where);
    options.params = { ...filled.params };
    options.context = { ...filled.context };
  }
  try {
    return renderPrompt(recipe.role, options);
  } catch (error) {
    if (isUserError(error)) throw workerError(where, error.message);
    throw error;
  }
}

/**
 * `recipe` with `received` added to its role parameter or context-pack field `into`, after any
 * value already there.
 */
export function withReceived(recipe: RenderRecipe, templates: TemplateSet, into: string, received: string, where: string | undefined): RenderRecipe {
  if (templates.roles[recipe.role]?.parameters.some((p) => p.name === into)) return { ...recipe, params: { ...recipe.params, [into]: join(recipe.params[into], received) } };
  if (templates.contextPack.fields.some((f) => f.flag === into)) return { ...recipe, context: { ...recipe.context, [into]: join(recipe.context[into], received) } };
  throw workerError(where, `\`into: ${into}\` is neither a parameter of \`${recipe.role}\` nor a context-pack field`);
}

/** One worker's result as another worker receives it: a heading naming the worker, then the text. */
export function receivedBlock(worker: { id: string; role: string; lenses: readonly string[] }, text: string): string {
  return `### ${worker.id} (${[worker.role, ...worker.lenses].join(', ')})\n\n${text}`;
}

/** What a worker that receives inputs is rendered with before its stage starts (sizes, dry run). */
export function pendingInputs(stages: readonly string[], what = 'final messages of'): string {
  return `(${what} ${stages.map((s) => `\`${s}\``).join(', ')}, filled in when this stage starts)`;
}

function workerError(where: string | undefined, message: string): UserError {
  return new UserError('worker-invalid', where === undefined ? message : `${where}: ${message}`);
}

function join(existing: string | undefined, received: string): string {
  return existing === undefined || existing.trim() === '' ? received : `${existing}\n\n${received}`;
}

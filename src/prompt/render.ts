import type { List, ListItem, Paragraph, Root, RootContent } from 'mdast';
import { UserError } from '../errors/index.js';
import { stringifyMarkdown } from '../markdown/stringify.js';
import { builtinTemplates } from '../templates/builtin-set.js';
import { builtinPlaceholders, unusableReason, type JsonValue, type RoleTemplate, type TemplateSet } from '../templates/model.js';
import { workerGuardLine } from '../templates/worker-guard.js';
import { templateError } from '../templates/template-error.js';
import { terminalSafe } from '../text/terminal.js';
import { unknownName } from '../text/closest.js';
import { resolveLenses } from './lenses.js';
import { checkContext, checkLensCount, checkParams, checkPlaceholders, normalize, resolveScope } from './request.js';
import { fencedValue, keepBlocksUsing, literal, omitBlocksUsing, omitClausesUsing, substituteBlocks, valueNodes } from './substitute.js';
import { placeholdersInTree } from '../templates/placeholders.js';

/** Options of {@link renderPrompt}. */
export interface RenderOptions {
  /** Templates to render from (default: the built-ins, see `loadTemplates`). */
  templates?: TemplateSet;
  /** Values of the role's parameters, by parameter name (`{artefact: 'src/'}`). */
  params?: Readonly<Record<string, string | undefined>>;
  /** Lens names or aliases (default none). */
  lenses?: readonly string[];
  /** Replaces the role's task line. */
  task?: string;
  /** Replaces the role's default scope; required for editing roles without one. */
  scope?: string;
  /** Context-pack values by field flag (`{goal: '...', 'non-goals': '...'}`). */
  context?: Readonly<Record<string, string | undefined>>;
  /** Size, in estimated tokens, above which a warning is added (default 12,000). */
  budget?: number;
}

/** The size of a rendered text. */
export interface TextSize {
  chars: number;
  bytes: number;
  /** Estimated tokens: bytes / 4, rounded up. */
  tokens: number;
}

/** A rendered worker prompt and what it was made of. */
export interface RenderResult {
  /** The prompt text; its first line is `CONTEXT: WORKER`. */
  prompt: string;
  role: string;
  /** Canonical names of the lenses applied. */
  lenses: string[];
  /** The SCOPE line. */
  scope: string;
  /** Whether the role edits files (the runner maps read-only roles to a read-only sandbox). */
  edits: boolean;
  size: TextSize;
  warnings: string[];
  /** The role's output contract, if it declares one. */
  outputSchema?: { [key: string]: JsonValue };
}

/** Default prompt budget in estimated tokens. */
export const defaultBudget = 12_000;

/** The role sections after the task, in prompt order. */
export type SectionKey = 'do' | 'output' | 'dont';

/** The label that opens each role section in a prompt. */
export const sectionLabels: Readonly<Record<SectionKey, string>> = { do: 'DO:', output: 'OUTPUT:', dont: "DON'T:" };

/** A request, checked and filled in: the blocks every way of rendering a role is made of. */
export interface ComposedPrompt {
  templates: TemplateSet;
  role: RoleTemplate;
  lenses: string[];
  scope: string;
  /** TASK, SCOPE, LENS and the context pack: what changes from one task to the next. */
  task: RootContent[];
  /** Each role section, every block filled in (or left out when its value was not given). */
  sections: Record<SectionKey, RootContent[]>;
  /** The blocks of {@link sections} that use a placeholder: they belong to this task, not to the role. */
  specific: Record<SectionKey, RootContent[]>;
}

/**
 * Check a request against the role and fill in its blocks: the one place where parameters,
 * lenses, scope, context pack and placeholders are validated, for the whole prompt
 * ({@link renderPrompt}) and for a custom agent's task message (`renderTaskMessage`) alike.
 *
 * @throws {UserError} on an unknown role or lens, a missing parameter, too many lenses, an
 * editing role without an editable scope, an unknown context field or an unresolved placeholder.
 */
export function composePrompt(roleName: string, options: RenderOptions = {}): ComposedPrompt {
  const templates = options.templates ?? builtinTemplates();
  const role = findRole(templates, roleName);
  for (const kind of ['preamble', 'context-pack'] as const) {
    const unusable = unusableReason(templates, kind);
    if (unusable !== undefined) throw new UserError('template-unusable', unusable);
  }
  const params = checkParams(role, options.params ?? {});
  const lenses = resolveLenses(options.lenses ?? [], templates);
  checkLensCount(role, lenses.length);
  const context = checkContext(templates, options.context ?? {});

  // A value that is not given stays out of `values`: the blocks that use it are left out.
  const values = new Map<string, string>(params);
  if (lenses.length > 0) values.set('lenses', lenses.map((l) => l.name).join(', '));
  const scope = resolveScope(role, options.scope, values);
  values.set('scope', scope);
  const task = normalize(options.task);
  if (task !== undefined) values.set('task', task);
  checkPlaceholders(role, task !== undefined);
  const unset = new Set([...role.parameters.map((p) => p.name), ...builtinPlaceholders].filter((name) => !values.has(name)));
  const fill = (nodes: readonly RootContent[]): RootContent[] => substituteBlocks(omitBlocksUsing(nodes, unset), values);

  const taskBlocks: RootContent[] = [...taskBlock(role, task, (nodes) => substituteBlocks(omitClausesUsing(nodes, unset), values)), ...valueNodes('SCOPE:', scope)];
  for (const lens of lenses) taskBlocks.push(label(`LENS: ${lens.name} (${lens.title})`), ...lens.body.children);
  taskBlocks.push(...renderContext(templates, context));
  const sections = {} as Record<SectionKey, RootContent[]>;
  const specific = {} as Record<SectionKey, RootContent[]>;
  for (const key of Object.keys(sectionLabels) as SectionKey[]) {
    const nodes = role.sections[key].children;
    sections[key] = fill(nodes);
    specific[key] = fill(keepBlocksUsing(nodes, new Set(placeholdersInTree(role.sections[key]))));
  }
  return { templates, role, lenses: lenses.map((l) => l.name), scope, task: taskBlocks, sections, specific };
}

/**
 * Compose a validated worker prompt: preamble, TASK, SCOPE, LENS, context pack, then the role's
 * Do / Output / Don't sections.
 *
 * @throws {UserError} on an unknown role or lens, a missing parameter, too many lenses, an
 * editing role without an editable scope, an unknown context field or an unresolved placeholder.
 */
export function renderPrompt(roleName: string, options: RenderOptions = {}): RenderResult {
  const composed = composePrompt(roleName, options);
  const { templates, role } = composed;
  const prompt = renderWorkerText(templates, [...templates.preamble.body.children, ...composed.task, ...labelled(composed.sections)]);
  const { size, warnings } = measure(prompt, options.budget, 'prompt');
  const result: RenderResult = { prompt, role: role.name, lenses: composed.lenses, scope: composed.scope, edits: role.edits, size, warnings };
  if (role.outputSchema) result.outputSchema = role.outputSchema;
  return result;
}

/**
 * Print blocks that make a worker's standing text (a whole prompt, a custom agent's
 * instructions): terminal-safe, and checked to open with the recursion guard.
 */
export function renderWorkerText(templates: TemplateSet, children: RootContent[]): string {
  // Values are already made visible (see `normalize`); this covers the templates' own text.
  const text = terminalSafe(stringifyMarkdown({ type: 'root', children } satisfies Root));
  // The preamble loader checks this too; a set built by hand must not skip the guard either.
  if (!text.startsWith(`${workerGuardLine}\n`)) {
    throw templateError(templates.preamble.source, `the preamble must start with the line \`${workerGuardLine}\` (the recursion guard every worker prompt opens with)`);
  }
  return text;
}

/** Each non-empty section under its label (`DO:`, `OUTPUT:`, `DON'T:`), in prompt order. */
export function labelled(sections: Readonly<Record<SectionKey, readonly RootContent[]>>): RootContent[] {
  return (Object.keys(sectionLabels) as SectionKey[]).flatMap((key) => (sections[key].length > 0 ? [label(sectionLabels[key]), ...sections[key]] : []));
}

/** Size of a text, and a warning when it is over the budget. */
export function measure(text: string, budget: number = defaultBudget, what: string): { size: TextSize; warnings: string[] } {
  const bytes = Buffer.byteLength(text);
  const size = { chars: text.length, bytes, tokens: Math.ceil(bytes / 4) };
  const warnings: string[] = [];
  if (size.tokens > budget) {
    warnings.push(`${what} is about ${size.tokens} tokens, over the budget of ${budget}: trim the context pack or point to files instead of pasting them`);
  }
  return { size, warnings };
}

/**
 * The role `name` of a set: the one place an unknown role is reported (prompt, run, the CLI's
 * first argument). With `commands` (the CLI's), the name may also have been meant as a command.
 *
 * @throws {UserError} `template-unusable` naming the file when a project file meant to define
 * it but cannot be used; `unknown-role` with the closest name otherwise.
 */
export function findRole(templates: TemplateSet, name: string, options: { commands?: readonly string[] } = {}): RoleTemplate {
  const role = templates.roles[name];
  if (role) return role;
  const unusable = unusableReason(templates, 'role', name);
  if (unusable !== undefined) throw new UserError('template-unusable', unusable);
  const known = [...Object.keys(templates.roles), ...(options.commands ?? [])].sort();
  throw new UserError('unknown-role', unknownName(options.commands ? 'role or command' : 'role', name, known), { data: { name, known } });
}

function taskBlock(role: RoleTemplate, task: string | undefined, fill: (nodes: readonly RootContent[]) => RootContent[]): RootContent[] {
  if (task !== undefined) return valueNodes('TASK:', task);
  const blocks = fill(role.sections.task.children);
  const first = blocks[0];
  if (first?.type === 'paragraph') {
    return [{ ...first, children: [{ type: 'text', value: 'TASK: ' }, ...first.children] }, ...blocks.slice(1)];
  }
  return [label('TASK:'), ...blocks];
}

function renderContext(templates: TemplateSet, context: ReadonlyMap<string, string>): RootContent[] {
  if (context.size === 0) return [];
  const items: ListItem[] = [];
  for (const field of templates.contextPack.fields) {
    const value = context.get(field.flag);
    if (value === undefined) continue;
    const children: ListItem['children'] = value.includes('\n')
      ? [label(`${field.label}:`), fencedValue(value)]
      : [{ type: 'paragraph', children: [{ type: 'text', value: `${field.label}: ` }, literal(value)] }];
    items.push({ type: 'listItem', spread: false, children });
  }
  const list: List = { type: 'list', ordered: false, spread: false, children: items };
  return [...templates.contextPack.body.children, list];
}

/** A paragraph holding one line of plain text. */
export function label(text: string): Paragraph {
  return { type: 'paragraph', children: [{ type: 'text', value: text }] };
}

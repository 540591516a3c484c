import type { List, ListItem, Paragraph, Root, RootContent } from 'mdast';
import { UserError } from '../errors/index.js';
import { stringifyMarkdown } from '../markdown/stringify.js';
import { builtinTemplates } from '../templates/builtin-set.js';
import { builtinPlaceholders, unusableReason, type JsonValue, type RoleTemplate, type TemplateSet } from '../templates/model.js';
import { workerGuardLine } from '../templates/worker-guard.js';
import { templateError } from '../templates/template-error.js';
import { terminalSafe } from '../text/terminal.js';
import { didYouMean, quoteList, unknownName } from '../text/closest.js';
import { resolveLenses } from './lenses.js';
import { placeholdersIn, placeholdersInTree, fillString } from '../templates/placeholders.js';
import { fencedValue, literal, omitBlocksUsing, omitClausesUsing, substituteBlocks, valueNodes } from './substitute.js';

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
  size: { chars: number; bytes: number; tokens: number };
  warnings: string[];
  /** The role's output contract, if it declares one. */
  outputSchema?: { [key: string]: JsonValue };
}

/** Default prompt budget in estimated tokens. */
export const defaultBudget = 12_000;

/**
 * Compose a validated worker prompt: preamble, TASK, SCOPE, LENS, context pack, then the role's
 * Do / Output / Don't sections.
 *
 * @throws {UserError} on an unknown role or lens, a missing parameter, too many lenses, an
 * editing role without an editable scope, an unknown context field or an unresolved placeholder.
 */
export function renderPrompt(roleName: string, options: RenderOptions = {}): RenderResult {
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

  const children: RootContent[] = [...templates.preamble.body.children];
  children.push(...taskBlock(role, task, (nodes) => substituteBlocks(omitClausesUsing(nodes, unset), values)));
  children.push(...valueNodes('SCOPE:', scope));
  for (const lens of lenses) {
    children.push(label(`LENS: ${lens.name} (${lens.title})`), ...lens.body.children);
  }
  const contextBlock = renderContext(templates, context);
  children.push(...contextBlock);
  children.push(label('DO:'), ...fill(role.sections.do.children));
  children.push(label('OUTPUT:'), ...fill(role.sections.output.children));
  children.push(label("DON'T:"), ...fill(role.sections.dont.children));

  // Values are already made visible (see `normalize`); this covers the templates' own text.
  const prompt = terminalSafe(stringifyMarkdown({ type: 'root', children } satisfies Root));
  // The preamble loader checks this too; a set built by hand must not skip the guard either.
  if (!prompt.startsWith(`${workerGuardLine}\n`)) {
    throw templateError(templates.preamble.source, `the preamble must start with the line \`${workerGuardLine}\` (the recursion guard every worker prompt opens with)`);
  }
  const bytes = Buffer.byteLength(prompt);
  const size = { chars: prompt.length, bytes, tokens: Math.ceil(bytes / 4) };
  const warnings: string[] = [];
  const budget = options.budget ?? defaultBudget;
  if (size.tokens > budget) {
    warnings.push(`prompt is about ${size.tokens} tokens, over the budget of ${budget}: trim the context pack or point to files instead of pasting them`);
  }
  const result: RenderResult = { prompt, role: role.name, lenses: lenses.map((l) => l.name), scope, edits: role.edits, size, warnings };
  if (role.outputSchema) result.outputSchema = role.outputSchema;
  return result;
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

/**
 * A value as it goes into a prompt: line endings made LF, blank edges trimmed, and every
 * control character (escape sequences, a lone CR, bidirectional overrides) shown as a visible
 * escape such as `\x1b`: they have no business in a prompt for a model, and would act on the
 * terminal of whoever reads the prompt.
 */
function normalize(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.replace(/\r\n?/g, '\n').replace(/^\n+|\s+$/g, '');
  return trimmed === '' ? undefined : terminalSafe(trimmed);
}

function checkParams(role: RoleTemplate, given: Readonly<Record<string, string | undefined>>): Map<string, string> {
  const declared = role.parameters.map((p) => p.name);
  const out = new Map<string, string>();
  for (const [name, raw] of Object.entries(given)) {
    if (raw === undefined) continue;
    if (!declared.includes(name)) {
      const expected = declared.length > 0 ? `, expected ${quoteList(declared.map((d) => `--${d}`))}` : ' (it takes none)';
      throw new UserError('unknown-parameter', `role \`${role.name}\` has no parameter \`--${name}\`${expected}${didYouMean(name, declared)}`);
    }
    const value = normalize(raw);
    if (value !== undefined) out.set(name, value);
  }
  for (const parameter of role.parameters) {
    if (parameter.required && !out.has(parameter.name)) {
      throw new UserError('missing-parameter', `role \`${role.name}\` needs --${parameter.name}: ${lowerFirst(parameter.description)}`);
    }
  }
  return out;
}

function checkLensCount(role: RoleTemplate, count: number): void {
  const { mode, max } = role.lenses;
  if (mode === 'none' && count > 0) {
    throw new UserError('lens-not-accepted', `role \`${role.name}\` takes no lens; drop --lens`);
  }
  if (mode === 'required' && count === 0) {
    throw new UserError('lens-required', `role \`${role.name}\` needs ${max > 1 ? `1 to ${max} lenses` : 'one lens'}: pass --lens (see \`orch-prompt list lenses\`)`);
  }
  if (count > max) {
    throw new UserError('too-many-lenses', `role \`${role.name}\` takes at most ${max} lens${max === 1 ? '' : 'es'}, got ${count}: run one worker per extra lens instead`);
  }
}

function checkContext(templates: TemplateSet, given: Readonly<Record<string, string | undefined>>): Map<string, string> {
  const fields = templates.contextPack.fields.map((f) => f.flag);
  const out = new Map<string, string>();
  for (const [key, raw] of Object.entries(given)) {
    if (raw === undefined) continue;
    if (!fields.includes(key)) {
      throw new UserError('unknown-context-field', `unknown context-pack field \`${key}\`, expected one of ${quoteList(fields)}${didYouMean(key, fields)}`);
    }
    const value = normalize(raw);
    if (value !== undefined) out.set(key, value);
  }
  return out;
}

function resolveScope(role: RoleTemplate, given: string | undefined, values: ReadonlyMap<string, string>): string {
  const explicit = normalize(given);
  if (role.edits) {
    if (explicit === undefined && role.scope === undefined) {
      throw new UserError('scope-required', `role \`${role.name}\` edits files and needs an explicit editable scope: pass --scope, e.g. --scope "may edit src/cli/ only"`);
    }
    if (explicit !== undefined && /^read[- ]?only\b/i.test(explicit)) {
      throw new UserError('scope-required', `role \`${role.name}\` edits files, so --scope must say what it may edit, not \`${explicit}\``);
    }
  }
  if (explicit !== undefined) return explicit;
  const scope = fillString(role.scope ?? 'read-only', values);
  // The SCOPE line cannot be left out like a sentence: an optional value it uses must be given.
  const missing = placeholdersIn(scope)[0];
  if (missing !== undefined) {
    throw new UserError('missing-parameter', `the default scope of role \`${role.name}\` uses --${missing}: pass --${missing}, or pass --scope`);
  }
  return scope;
}

function checkPlaceholders(role: RoleTemplate, taskReplaced: boolean): void {
  const sections = taskReplaced ? [role.sections.do, role.sections.output, role.sections.dont] : Object.values(role.sections);
  const used = [...sections.flatMap((tree) => placeholdersInTree(tree)), ...placeholdersIn(role.scope ?? '')];
  const known = new Set<string>([...role.parameters.map((p) => p.name), ...builtinPlaceholders]);
  for (const name of used) {
    // An optional parameter, `{{lenses}}` or `{{task}}` without a value leaves its block out.
    if (known.has(name)) continue;
    throw new UserError('unresolved-placeholder', `template \`${role.source}\` uses \`{{${name}}}\`, which is neither a parameter of \`${role.name}\` nor one of ${quoteList([...builtinPlaceholders])}`);
  }
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

function label(text: string): Paragraph {
  return { type: 'paragraph', children: [{ type: 'text', value: text }] };
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

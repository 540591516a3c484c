import { UserError } from '../errors/index.js';
import { builtinPlaceholders, type RoleTemplate, type TemplateSet } from '../templates/model.js';
import { placeholdersIn, placeholdersInTree, fillString } from '../templates/placeholders.js';
import { terminalSafe } from '../text/terminal.js';
import { didYouMean, quoteList } from '../text/closest.js';

// The checks of a prompt request (parameters, lenses, context pack, scope, placeholders), shared
// by every way a role is rendered: the whole prompt, and the task message for a custom agent.

/**
 * A value as it goes into a prompt: line endings made LF, blank edges trimmed, and every
 * control character (escape sequences, a lone CR, bidirectional overrides) shown as a visible
 * escape such as `\x1b`: they have no business in a prompt for a model, and would act on the
 * terminal of whoever reads the prompt.
 */
export function normalize(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.replace(/\r\n?/g, '\n').replace(/^\n+|\s+$/g, '');
  return trimmed === '' ? undefined : terminalSafe(trimmed);
}

export function checkParams(role: RoleTemplate, given: Readonly<Record<string, string | undefined>>): Map<string, string> {
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

export function checkLensCount(role: RoleTemplate, count: number): void {
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

export function checkContext(templates: TemplateSet, given: Readonly<Record<string, string | undefined>>): Map<string, string> {
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

export function resolveScope(role: RoleTemplate, given: string | undefined, values: ReadonlyMap<string, string>): string {
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

export function checkPlaceholders(role: RoleTemplate, taskReplaced: boolean): void {
  const sections = taskReplaced ? [role.sections.do, role.sections.output, role.sections.dont] : Object.values(role.sections);
  const used = [...sections.flatMap((tree) => placeholdersInTree(tree)), ...placeholdersIn(role.scope ?? '')];
  const known = new Set<string>([...role.parameters.map((p) => p.name), ...builtinPlaceholders]);
  for (const name of used) {
    // An optional parameter, `{{lenses}}` or `{{task}}` without a value leaves its block out.
    if (known.has(name)) continue;
    throw new UserError('unresolved-placeholder', `template \`${role.source}\` uses \`{{${name}}}\`, which is neither a parameter of \`${role.name}\` nor one of ${quoteList([...builtinPlaceholders])}`);
  }
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

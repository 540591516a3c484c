import type { RenderOptions } from '../prompt/render.js';
import type { RoleTemplate, TemplateSet } from '../templates/model.js';
import { reservedParameterNames } from '../templates/reserved-names.js';
import { templateError } from '../templates/template-error.js';
import { listFlag, stringFlag, type FlagSpec, type FlagValues } from './flags.js';
import { templateSourceFlags } from './templates-source.js';

/** Flags every prompt-rendering command shares (besides role parameters and context fields). */
export const sharedPromptFlags: readonly FlagSpec[] = [
  { name: 'lens', type: 'string', multiple: true, list: true, value: 'NAME', description: 'Lens to apply (name or alias); comma lists allowed.' },
  { name: 'task', type: 'string', value: 'TEXT', description: "Replace the role's task line." },
  { name: 'scope', type: 'string', value: 'TEXT', description: "Replace the role's default scope; editing roles need one naming what they may edit." },
  { name: 'context-pack', type: 'string', value: 'FILE', description: 'Context pack from a Markdown (## Goal ...), YAML or JSON file; flags override its fields.' },
  ...templateSourceFlags,
];

/** The flags of one role: its parameters, the shared flags, then the context-pack fields. */
export function promptFlagTable(role: RoleTemplate, templates: TemplateSet): FlagSpec[] {
  const fields = templates.contextPack.fields.map(
    (field): FlagSpec => ({ name: field.flag, type: 'string', value: 'TEXT', description: `Context pack: ${field.label}. ${field.description}` }),
  );
  const taken = new Set<string>([...reservedParameterNames, ...fields.map((f) => f.name)]);
  const params = role.parameters.map((parameter): FlagSpec => {
    if (taken.has(parameter.name)) {
      throw templateError(role.source, `parameter \`${parameter.name}\` collides with the flag --${parameter.name}; rename it`);
    }
    return { name: parameter.name, type: 'string', value: 'TEXT', description: `${parameter.required ? '(required) ' : ''}${parameter.description}` };
  });
  return [...params, ...sharedPromptFlags, ...fields];
}

/** Turn parsed flags into render options. */
export async function promptOptions(role: RoleTemplate, templates: TemplateSet, flags: FlagValues, cwd: string): Promise<RenderOptions> {
  const params: Record<string, string> = {};
  for (const parameter of role.parameters) {
    const value = stringFlag(flags, parameter.name);
    if (value !== undefined) params[parameter.name] = value;
  }
  const context = await contextFromFlags(templates, flags, cwd);
  const options: RenderOptions = { templates, params, lenses: listFlag(flags, 'lens'), context };
  const task = stringFlag(flags, 'task');
  if (task !== undefined) options.task = task;
  const scope = stringFlag(flags, 'scope');
  if (scope !== undefined) options.scope = scope;
  return options;
}

/**
 * The context pack given on the command line: `--context-pack FILE` first, then the field flags
 * override its fields. The file reader (and its Markdown parser) loads only when used.
 */
export async function contextFromFlags(templates: TemplateSet, flags: FlagValues, cwd: string): Promise<Record<string, string>> {
  let context: Record<string, string> = {};
  const packFile = stringFlag(flags, 'context-pack');
  if (packFile !== undefined) {
    const { readContextPackFile } = await import('../prompt/context-pack-file.js');
    context = readContextPackFile(packFile, templates.contextPack, { cwd });
  }
  for (const field of templates.contextPack.fields) {
    const value = stringFlag(flags, field.flag);
    if (value !== undefined) context[field.flag] = value;
  }
  return context;
}

/** A usage line for a role: `reviewer --artefact TEXT --lens NAME [options]`. */
export function roleUsage(role: RoleTemplate): string {
  const required = role.parameters.filter((p) => p.required).map((p) => `--${p.name} TEXT`);
  if (role.lenses.mode === 'required') required.push('--lens NAME');
  if (role.edits && role.scope === undefined) required.push('--scope TEXT');
  return [role.name, ...required, '[options]'].join(' ');
}

/** A few sentences about a role for its `--help`. */
export function roleDescription(role: RoleTemplate): string {
  const lenses =
    role.lenses.mode === 'none'
      ? 'Takes no lens.'
      : `${role.lenses.mode === 'required' ? 'Needs' : 'Takes up to'} ${role.lenses.mode === 'required' && role.lenses.max > 1 ? `1 to ${role.lenses.max}` : role.lenses.max} lens${role.lenses.max === 1 ? '' : 'es'} (see \`orch-prompt list lenses\`).`;
  const scope = role.edits
    ? role.scope === undefined
      ? 'Edits files: --scope must say what it may edit.'
      : `Edits files; default scope: ${role.scope}.`
    : `Default scope: ${role.scope ?? 'read-only'}.`;
  return `${role.description}\n${lenses} ${scope}`;
}

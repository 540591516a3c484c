import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { builtinTemplates } from './builtin-set.js';
import type { Template, TemplateSet } from './model.js';
import { parseTemplate } from './parse-template.js';
import { TemplateError } from './template-error.js';

/** Options of {@link loadTemplates}. */
export interface LoadTemplatesOptions {
  /** Start from the built-in templates (default `true`). */
  builtins?: boolean;
}

/**
 * Load templates: the built-ins first, then every folder in `dirs` in order. A later template
 * with the same kind and name replaces an earlier one; a new name adds a role or lens.
 *
 * @throws {TemplateError} when a folder is missing or a template cannot be used.
 */
export function loadTemplates(dirs: readonly string[] = [], options: LoadTemplatesOptions = {}): TemplateSet {
  const base = options.builtins === false ? undefined : builtinTemplates();
  const layers = dirs.map((dir) => readTemplateDir(dir));
  const set: Partial<TemplateSet> & Pick<TemplateSet, 'roles' | 'lenses'> = base
    ? { ...base, roles: { ...base.roles }, lenses: { ...base.lenses } }
    : { roles: {}, lenses: {} };
  for (const template of layers.flat()) addTemplate(set, template);
  if (!set.preamble) throw new TemplateError(dirs.join(', ') || 'templates', 'no preamble template (kind: preamble)');
  if (!set.contextPack) throw new TemplateError(dirs.join(', ') || 'templates', 'no context-pack template (kind: context-pack)');
  return set as TemplateSet;
}

function addTemplate(set: Partial<TemplateSet> & Pick<TemplateSet, 'roles' | 'lenses'>, template: Template): void {
  switch (template.kind) {
    case 'preamble':
      set.preamble = template;
      break;
    case 'context-pack':
      set.contextPack = template;
      break;
    case 'role':
      set.roles[template.name] = template;
      break;
    case 'lens':
      set.lenses[template.name] = template;
      break;
  }
}

/** Read every `.md` file below a folder (sorted, so loading is deterministic). */
export function readTemplateDir(dir: string): Template[] {
  const root = resolve(dir);
  let stat;
  try {
    stat = statSync(root);
  } catch {
    throw new TemplateError(dir, 'templates folder does not exist');
  }
  if (!stat.isDirectory()) throw new TemplateError(dir, 'not a folder');
  return listMarkdownFiles(root).map((file) => {
    const source = relative(process.cwd(), file) || file;
    return parseTemplate(readFileSync(file, 'utf8'), source.startsWith('..') ? file : source);
  });
}

/** Markdown files below a folder, sorted by path. */
export function listMarkdownFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

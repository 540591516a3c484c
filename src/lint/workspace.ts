import type { Root } from 'mdast';
import { isRecord, type ParsedDocument } from '../markdown/index.js';
import type { Template, TemplateSet } from '../templates/model.js';
import { templateFromDocument } from '../templates/parse-template.js';
import { stringifyMarkdown } from '../markdown/stringify.js';

/**
 * What the files of one lint run know about each other: the templates in effect (built-ins
 * with every linted file that loads layered on top) and the lens names. Both are computed on
 * first use and once per run, because most files never need them.
 */
export interface LintWorkspace {
  /** Built-in templates with every linted file that loads layered on top. */
  templates(): TemplateSet;
  /** This file as a usable template, when it loads without error. */
  template(doc: ParsedDocument, file: string): Template | undefined;
  /** Known lens names and aliases (lowercase) mapped to the canonical lens name. */
  lensNames(): ReadonlyMap<string, string>;
  /**
   * An upper bound, in bytes, of what a rendered prompt holds besides its role: the preamble,
   * the context-pack line and the largest lens, each counted twice (escaping can at most
   * double Markdown), plus room for labels.
   */
  promptOverheadBytes(): number;
}

/** Create the workspace of a run over `files`, layered on `base`. */
export function lintWorkspace(base: TemplateSet, files: ReadonlyArray<{ file: string; doc: ParsedDocument | undefined }>): LintWorkspace {
  const loaded = new Map<ParsedDocument, Template | undefined>();
  let templates: TemplateSet | undefined;
  let lensNames: Map<string, string> | undefined;
  let overhead: number | undefined;
  const template = (doc: ParsedDocument, file: string): Template | undefined => {
    if (!loaded.has(doc)) loaded.set(doc, loadable(doc, file));
    return loaded.get(doc);
  };
  return {
    template,
    templates() {
      templates ??= layer(base, files.flatMap(({ doc, file }) => (doc ? [template(doc, file)] : []).filter((t) => t !== undefined)));
      return templates;
    },
    lensNames() {
      lensNames ??= collectLensNames(base, files);
      return lensNames;
    },
    promptOverheadBytes() {
      overhead ??= overheadBytes(base, files);
      return overhead;
    },
  };
}

function loadable(doc: ParsedDocument, file: string): Template | undefined {
  try {
    return templateFromDocument(doc, file);
  } catch {
    // Why it does not load is what the rules report, with exact places.
    return undefined;
  }
}

function layer(base: TemplateSet, templates: readonly Template[]): TemplateSet {
  const set: TemplateSet = { ...base, roles: { ...base.roles }, lenses: { ...base.lenses } };
  for (const template of templates) {
    if (template.kind === 'role') set.roles[template.name] = template;
    else if (template.kind === 'lens') set.lenses[template.name] = template;
    else if (template.kind === 'preamble') set.preamble = template;
    else set.contextPack = template;
  }
  return set;
}

/**
 * Lens names from the frontmatter of the linted lenses, without loading them: a lens with a
 * broken body still has a name other templates may refer to. Names win over aliases, as in
 * `lensIndex`.
 */
function collectLensNames(base: TemplateSet, files: ReadonlyArray<{ doc: ParsedDocument | undefined }>): Map<string, string> {
  const lenses: Array<{ name: string; aliases: string[] }> = Object.values(base.lenses).map((l) => ({ name: l.name, aliases: l.aliases }));
  for (const { doc } of files) {
    const data = doc?.frontmatter?.data;
    if (!isRecord(data) || data['kind'] !== 'lens' || typeof data['name'] !== 'string') continue;
    const aliases = Array.isArray(data['aliases']) ? data['aliases'].filter((a): a is string => typeof a === 'string') : [];
    lenses.push({ name: data['name'], aliases });
  }
  const names = new Map<string, string>();
  for (const lens of lenses) for (const alias of lens.aliases) names.set(alias.toLowerCase(), lens.name);
  for (const lens of lenses) names.set(lens.name.toLowerCase(), lens.name);
  return names;
}

function overheadBytes(base: TemplateSet, files: ReadonlyArray<{ doc: ParsedDocument | undefined }>): number {
  const size = (tree: Root): number => Buffer.byteLength(stringifyMarkdown(tree));
  const largest: Record<string, number> = {
    preamble: size(base.preamble.body),
    'context-pack': size(base.contextPack.body) + base.contextPack.fields.reduce((sum, f) => sum + f.label.length + 16, 0),
    lens: Math.max(0, ...Object.values(base.lenses).map((lens) => size(lens.body) + lens.title.length)),
  };
  for (const { doc } of files) {
    const kind = doc?.frontmatter?.data['kind'];
    if (typeof kind === 'string' && kind in largest) largest[kind] = Math.max(largest[kind] ?? 0, Buffer.byteLength(doc?.text ?? ''));
  }
  return 2 * Object.values(largest).reduce((sum, n) => sum + n, 0) + 4096;
}

import type { Root } from 'mdast';
import { isRecord, parseDocument, type ParsedDocument } from '../markdown/index.js';
import { stringifyMarkdown } from '../markdown/stringify.js';
import type { Template, TemplateSet } from '../templates/model.js';
import { templateFromDocument } from '../templates/parse-template.js';

/** One file of a lint run: its name, and its text when it could be read. */
export interface WorkspaceFile {
  file: string;
  text: string | undefined;
}

/**
 * What the files of one lint run know about each other: the templates in effect (built-ins
 * with every linted file that loads layered on top) and the lens names. Files are parsed one
 * at a time and their trees dropped once linted, so a large run stays small in memory; the
 * cross-file views are computed on first use, once per run, because most files never need
 * them (they re-parse only the files they need).
 */
export interface LintWorkspace {
  /** The parsed document of file `index` (kept until {@link release}). */
  doc(index: number): ParsedDocument | undefined;
  /** Forget the parsed document of file `index`. */
  release(index: number): void;
  /** Built-in templates with every linted file that loads layered on top. */
  templates(): TemplateSet;
  /** A document as a usable template, when it loads without error. */
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

// Cheap pre-filters on raw text; the parsed frontmatter decides.
const mayBeLens = /^kind:[ \t]*['"]?lens\b/m;
const mayBeShared = /^kind:[ \t]*['"]?(?:lens|preamble|context-pack)\b/m;

/** Create the workspace of a run over `files`, layered on `base`. */
export function lintWorkspace(base: TemplateSet, files: readonly WorkspaceFile[]): LintWorkspace {
  const docs = new Map<number, ParsedDocument>();
  const loaded = new WeakMap<ParsedDocument, Template | null>();
  let templates: TemplateSet | undefined;
  let lensNames: Map<string, string> | undefined;
  let overhead: number | undefined;
  const doc = (index: number): ParsedDocument | undefined => {
    const text = files[index]?.text;
    if (text === undefined) return undefined;
    let parsed = docs.get(index);
    if (!parsed) {
      parsed = parseDocument(text);
      docs.set(index, parsed);
    }
    return parsed;
  };
  // A document parsed only for a cross-file view is not kept: the file's own turn parses again.
  const peek = (index: number): ParsedDocument | undefined => docs.get(index) ?? (files[index]?.text === undefined ? undefined : parseDocument(files[index]?.text ?? ''));
  const template = (parsed: ParsedDocument, file: string): Template | undefined => {
    let found = loaded.get(parsed);
    if (found === undefined) {
      found = loadable(parsed, file) ?? null;
      loaded.set(parsed, found);
    }
    return found ?? undefined;
  };
  return {
    doc,
    release: (index) => void docs.delete(index),
    template,
    templates() {
      templates ??= layer(
        base,
        files.flatMap(({ file }, index) => {
          const parsed = peek(index);
          const t = parsed ? template(parsed, file) : undefined;
          return t ? [t] : [];
        }),
      );
      return templates;
    },
    lensNames() {
      lensNames ??= collectLensNames(
        base,
        files.flatMap(({ text }, index) => (text !== undefined && mayBeLens.test(text) ? [peek(index)] : [])),
      );
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
function collectLensNames(base: TemplateSet, docs: ReadonlyArray<ParsedDocument | undefined>): Map<string, string> {
  const lenses: Array<{ name: string; aliases: string[] }> = Object.values(base.lenses).map((l) => ({ name: l.name, aliases: l.aliases }));
  for (const doc of docs) {
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

/** Bytes of the shared parts of a prompt; linted files that may replace them count whole. */
function overheadBytes(base: TemplateSet, files: readonly WorkspaceFile[]): number {
  const size = (tree: Root): number => Buffer.byteLength(stringifyMarkdown(tree));
  const lens = Math.max(0, ...Object.values(base.lenses).map((l) => size(l.body) + l.title.length));
  let shared = size(base.preamble.body) + size(base.contextPack.body) + base.contextPack.fields.reduce((sum, f) => sum + f.label.length + 16, 0);
  let largestFile = 0;
  for (const { text } of files) {
    if (text !== undefined && mayBeShared.test(text)) largestFile = Math.max(largestFile, Buffer.byteLength(text));
  }
  // Over-counting is safe: it only makes prompt-budget render a role it could have skipped.
  shared += lens + 2 * largestFile;
  return 2 * shared + 4096;
}

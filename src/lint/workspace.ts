import type { Root } from 'mdast';
import { isRecord, parseDocumentBody, readDocumentHead, type DocumentHead, type ParsedDocument } from '../markdown/index.js';
import { stringifyDocument } from '../markdown/write-document.js';
import { templateKey, type ContextPackTemplate, type Template, type TemplateSet } from '../templates/model.js';
import { lensNameIndex } from '../prompt/lenses.js';
import { layerOnto } from '../templates/layers.js';
import { parseTemplate, templateFromDocument, templateFromHead, templateIdentity } from '../templates/parse-template.js';

/** One file of a lint run: its name, and its text when it could be read. */
export interface WorkspaceFile {
  file: string;
  text: string | undefined;
  /**
   * Files of one group are one templates folder (what one PATH argument named): two of them
   * defining the same role or lens is an error. Files of different groups are layers, where a
   * later one replacing an earlier one is intended. Default: one group for all.
   */
  group?: string;
}

/**
 * What the files of one lint run know about each other: the templates in effect (built-ins
 * with every linted file that loads layered on top) and the lens names. Files are parsed one
 * at a time and their trees dropped once linted, so a large run stays small in memory; each
 * file's frontmatter is read once and kept. The cross-file views are computed on first use,
 * once per run, because most files never need them, and read only frontmatter (a body only
 * when a rule renders a prompt with it).
 */
export interface LintWorkspace {
  /** The parsed document of file `index` (kept until {@link release}). */
  doc(index: number): ParsedDocument | undefined;
  /** Forget the parsed document of file `index`. */
  release(index: number): void;
  /** Built-in templates with every linted file that loads layered on top. */
  templates(): TemplateSet;
  /** The context pack of {@link templates}, read from the files that may be one alone. */
  contextPack(): ContextPackTemplate;
  /** A document as a usable template, when it loads without error. */
  template(doc: ParsedDocument, file: string): Template | undefined;
  /** Known lens names and aliases (lowercase) mapped to the canonical lens name. */
  lensNames(): ReadonlyMap<string, string>;
  /** The other files of file `index`'s group that define the same template (kind and name). */
  alsoDefinedBy(index: number): string[];
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
  const heads = new Map<number, DocumentHead>();
  const docs = new Map<number, ParsedDocument>();
  const loaded = new WeakMap<ParsedDocument, Template | null>();
  let templates: TemplateSet | undefined;
  let contextPack: ContextPackTemplate | undefined;
  let lensNames: Map<string, string> | undefined;
  let overhead: number | undefined;
  let definitions: Map<string, number[]> | undefined;
  const head = (index: number, text: string): DocumentHead => {
    let read = heads.get(index);
    if (!read) {
      read = readDocumentHead(text);
      heads.set(index, read);
    }
    return read;
  };
  /** The files (passing `filter`) that load as templates, in order. */
  const loadAll = (filter: (text: string) => boolean): Template[] =>
    files.flatMap(({ file, text }, index) => {
      if (text === undefined || !filter(text)) return [];
      try {
        // A template reads LF line endings: a file with CR is read again, normalized.
        return [text.includes('\r') ? parseTemplate(text, file) : templateFromHead(head(index, text), file)];
      } catch {
        return []; // the file's own turn says why
      }
    });
  const doc = (index: number): ParsedDocument | undefined => {
    const text = files[index]?.text;
    if (text === undefined) return undefined;
    let parsed = docs.get(index);
    if (!parsed) {
      parsed = parseDocumentBody(head(index, text));
      docs.set(index, parsed);
    }
    return parsed;
  };
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
      // Read as the loader reads: frontmatter now, a body only when a rule renders with it.
      templates ??= layerOnto(base, loadAll(() => true));
      return templates;
    },
    contextPack() {
      // A file that declares the kind holds its name; the others cannot replace the pack.
      contextPack ??= templates?.contextPack ?? layerOnto(base, loadAll((text) => text.includes('context-pack'))).contextPack;
      return contextPack;
    },
    alsoDefinedBy(index) {
      definitions ??= collectDefinitions(files);
      for (const indexes of definitions.values()) {
        if (indexes.includes(index)) return indexes.filter((i) => i !== index).map((i) => files[i]?.file ?? '');
      }
      return [];
    },
    lensNames() {
      lensNames ??= collectLensNames(
        base,
        files.flatMap(({ text }, index) => (text !== undefined && mayBeLens.test(text) ? [head(index, text).frontmatter?.data] : [])),
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

/**
 * Lens names from the frontmatter of the linted lenses, without loading them: a lens with a
 * broken body still has a name other templates may refer to. Names win over aliases, as in
 * `lensIndex`.
 */
function collectLensNames(base: TemplateSet, frontmatters: ReadonlyArray<Record<string, unknown> | undefined>): Map<string, string> {
  const lenses: Array<{ name: string; aliases: readonly string[] }> = Object.values(base.lenses);
  for (const data of frontmatters) {
    if (!isRecord(data) || data['kind'] !== 'lens' || typeof data['name'] !== 'string') continue;
    const aliases = Array.isArray(data['aliases']) ? data['aliases'].filter((a): a is string => typeof a === 'string') : [];
    lenses.push({ name: data['name'], aliases });
  }
  return lensNameIndex(lenses);
}

// What a file's frontmatter probably defines, read with two regular expressions: cheap enough
// for every file of a large run. Only files that collide are parsed for real.
const kindLine = /^kind:[ \t]*['"]?([a-z-]+)['"]?[ \t]*(?:#.*)?$/m;
const nameLine = /^name:[ \t]*['"]?([a-z0-9-]+)['"]?[ \t]*(?:#.*)?$/m;

/** Files defining the same template within one group, keyed by group and template, two or more each. */
function collectDefinitions(files: readonly WorkspaceFile[]): Map<string, number[]> {
  const candidates = new Map<string, number[]>();
  files.forEach(({ text, group }, index) => {
    if (text === undefined) return;
    const head = text.slice(0, text.indexOf('\n---', 3) + 1 || 4096);
    const kind = kindLine.exec(head)?.[1];
    if (kind === undefined) return;
    const name = kind === 'preamble' || kind === 'context-pack' ? kind : nameLine.exec(head)?.[1];
    if (name === undefined) return;
    const key = `${group ?? ''}\u0000${kind}:${name}`;
    candidates.set(key, [...(candidates.get(key) ?? []), index]);
  });
  const confirmed = new Map<string, number[]>();
  for (const indexes of candidates.values()) {
    if (indexes.length < 2) continue;
    for (const index of indexes) {
      const file = files[index] as WorkspaceFile;
      const identity = templateIdentity(file.text ?? '');
      if (!identity) continue;
      const key = `${file.group ?? ''}\u0000${templateKey(identity.kind, identity.name)}`;
      confirmed.set(key, [...(confirmed.get(key) ?? []), index]);
    }
  }
  for (const [key, indexes] of confirmed) if (indexes.length < 2) confirmed.delete(key);
  return confirmed;
}

/** Bytes of the shared parts of a prompt; linted files that may replace them count whole. */
function overheadBytes(base: TemplateSet, files: readonly WorkspaceFile[]): number {
  const size = (tree: Root): number => Buffer.byteLength(stringifyDocument(tree));
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

import { location } from 'vfile-location';
import { isRecord, type ParsedDocument } from '../markdown/index.js';
import { isTemplateKind } from '../templates/frontmatter-schema.js';
import type { ContextPackTemplate, Template, TemplateKind, TemplateSet } from '../templates/model.js';
import { splitSections, type SplitBody } from '../templates/sections.js';
import type { LintDirective } from './lint-directive.js';
import type { Place } from './rule.js';
import type { LintWorkspace } from './workspace.js';
import { frontmatterPlaces, type FrontmatterPlaces, type PairPart } from './yaml-places.js';

/** What a template rule looks at: one parsed file, plus the templates in effect around it. */
export interface TemplateLintInput {
  /** The file as shown in reports. */
  file: string;
  /** The parsed document; body positions are exact in the original file. */
  doc: ParsedDocument;
  /** The file's text (a leading byte-order mark removed). */
  text: string;
  /** Frontmatter data; `{}` when there is none or it does not parse. */
  data: Record<string, unknown>;
  /** The `kind` the frontmatter declares, when it is a known kind. */
  kind: TemplateKind | undefined;
  /** This file as a usable template, when it loads without error (loaded on first use). */
  readonly template: Template | undefined;
  /** Built-in templates with every linted file that loads layered on top (built on first use). */
  readonly templates: TemplateSet;
  /** The context pack of {@link templates}, without loading every file (read on first use). */
  readonly contextPack: ContextPackTemplate;
  /** Known lens names and aliases (lowercase) mapped to the canonical lens name. */
  lensNames(): ReadonlyMap<string, string>;
  /** Other linted files of the same folder that define the same template as this one. */
  alsoDefinedBy(): string[];
  /** The lint disable directives of the body (HTML comment nodes only). */
  directives: readonly LintDirective[];
  /** Upper bound of a rendered prompt's bytes besides the role (see `LintWorkspace`). */
  promptOverheadBytes(): number;
  /** Offset in `text` where the body starts (after the closing `---`). */
  bodyOffset: number;
  /** `line:column` of an offset in `text`. */
  pointAt(offset: number): Place;
  /** Place of a frontmatter key or value (see {@link FrontmatterPlaces.at}). */
  frontmatterPlace(path: ReadonlyArray<string | number>, part?: PairPart): Place;
  /** Source text and place of a plain frontmatter scalar, for pointing inside it. */
  frontmatterScalar(path: ReadonlyArray<string | number>): { place: Place; source: string } | undefined;
  /** The body split at its `##` headings. */
  sections(): SplitBody;
}

/** Options of {@link templateLintInput}. */
export interface TemplateInputOptions {
  file: string;
  /** The file's index in the workspace. */
  index: number;
  doc: ParsedDocument;
  workspace: LintWorkspace;
  directives: readonly LintDirective[];
}

/** Build the input of template rules; the costlier views are computed on first use. */
export function templateLintInput(options: TemplateInputOptions): TemplateLintInput {
  const { doc } = options;
  const fm = doc.frontmatter;
  const data = fm && !fm.problem && isRecord(fm.data) ? fm.data : {};
  const kind = isTemplateKind(data['kind']) ? data['kind'] : undefined;
  let places: FrontmatterPlaces | undefined;
  let index: ReturnType<typeof location> | undefined;
  let split: SplitBody | undefined;
  const noPlace: Place = { line: 1, column: 1 };
  const pointAt = (offset: number): Place => {
    index ??= location(doc.text);
    const point = index.toPoint(offset);
    return point ? { line: point.line, column: point.column } : noPlace;
  };
  return {
    file: options.file,
    doc,
    text: doc.text,
    data,
    kind,
    get template() {
      return options.workspace.template(doc, options.file);
    },
    get templates() {
      return options.workspace.templates();
    },
    get contextPack() {
      return options.workspace.contextPack();
    },
    lensNames: () => options.workspace.lensNames(),
    alsoDefinedBy: () => options.workspace.alsoDefinedBy(options.index),
    directives: options.directives,
    promptOverheadBytes: () => options.workspace.promptOverheadBytes(),
    bodyOffset: fm ? bodyStart(doc.text, fm.endLine) : 0,
    pointAt,
    frontmatterPlace(path, part) {
      if (!fm) return noPlace;
      places ??= frontmatterPlaces(fm);
      return places.at(path, part);
    },
    frontmatterScalar(path) {
      if (!fm) return undefined;
      places ??= frontmatterPlaces(fm);
      return places.scalarSource(path);
    },
    sections() {
      split ??= splitSections(doc.tree);
      return split;
    },
  };
}

/** Offset of the first character after line `endLine` (the closing fence). */
function bodyStart(text: string, endLine: number): number {
  let offset = 0;
  for (let line = 1; line <= endLine; line++) {
    const next = text.indexOf('\n', offset);
    if (next === -1) return text.length;
    offset = next + 1;
  }
  return offset;
}

import type { Nodes, Root } from 'mdast';
import matter, { type GrayMatterOption } from 'gray-matter';
import { LineCounter, parseDocument as parseYamlDocument } from 'yaml';
import { parseBody } from './parse-body.js';
import type { Point } from './point.js';
import { checkMarkdownNesting, deepBracketPlace, deepLinePlace, guardStack, maxNesting, nestingFailure } from './limits.js';

export type { Point } from './point.js';

/** Why the frontmatter of a document could not be read. */
export interface FrontmatterProblem {
  /**
   * What is wrong: a fence naming another language than YAML, no closing fence, a closing
   * fence with text after `---` (gray-matter closes there; we refuse to guess), YAML that does
   * not parse, aliases that cannot be expanded, nesting over the limit, or data that is not a
   * mapping.
   */
  code: 'language' | 'unclosed' | 'fence' | 'yaml' | 'alias' | 'nesting' | 'mapping';
  message: string;
  /** Where the problem is in the original file (frontmatter lines counted). */
  place: Point;
}

/** The frontmatter block as it stands in the file. */
export interface Frontmatter {
  /** The YAML text between the `---` fences. */
  raw: string;
  /** Parsed data; `{}` when the YAML does not parse or is not a mapping. */
  data: Record<string, unknown>;
  /** 1-based line of the first YAML line (the line after the opening `---`). */
  startLine: number;
  /** 1-based line of the closing `---` (or the last line when the fence is never closed). */
  endLine: number;
  /** Whether a closing `---` was found. */
  closed: boolean;
  /** Set when the YAML does not parse or is not a mapping. */
  problem?: FrontmatterProblem;
}

/** A Markdown document split into frontmatter and a body syntax tree. */
export interface ParsedDocument {
  /** The text that was parsed (a leading byte-order mark removed). */
  text: string;
  /** Whether the input started with a byte-order mark. */
  bom: boolean;
  frontmatter: Frontmatter | undefined;
  /**
   * The body as an mdast tree. Positions point into the original file: the frontmatter is
   * blanked (same length, newlines kept) before parsing, so nothing is shifted.
   */
  tree: Root;
}

/**
 * Parse a Markdown document with optional YAML frontmatter. A byte-order mark is removed first
 * (`text` is what was parsed, and every offset points into it); CR LF line endings are kept,
 * so lines, columns and offsets are those of the file.
 *
 * Only YAML frontmatter is read, and only as data: a fence naming another language (`---js`,
 * `---toml`) is a frontmatter problem, never handed to an engine that could run it.
 *
 * @throws {UserError} `input-too-deep` when a line, or emphasis, nests deeper than the parser or
 *   the writer can take (see `limits.ts`).
 */
export function parseDocument(input: string): ParsedDocument {
  const bom = input.charCodeAt(0) === 0xfeff;
  const text = bom ? input.slice(1) : input;
  checkMarkdownNesting(text);
  const split = readFrontmatter(text);
  const prefixLength = split?.prefixLength ?? 0;
  const prefix = text.slice(0, prefixLength);
  // The frontmatter is replaced by its line endings alone, which keeps every line and column
  // of the body; offsets are then moved back by the characters removed. (Blanking it with
  // spaces instead keeps offsets too, but makes the parser read every space: twice the time.)
  if (prefixLength > 0 && /[\r\n]$/.test(prefix)) {
    const lineEnds = prefix.replace(/[^\r\n]/g, '');
    const tree = parseBody(lineEnds + text.slice(prefixLength));
    shiftOffsets(tree, lineEnds.length, prefixLength - lineEnds.length);
    return { text, bom, frontmatter: split?.frontmatter, tree };
  }
  const blanked = prefixLength > 0 ? blank(prefix) + text.slice(prefixLength) : text;
  const tree = parseBody(blanked);
  return { text, bom, frontmatter: split?.frontmatter, tree };
}

/** Add `delta` to every offset at or after `from` (points before it lie in the removed part). */
function shiftOffsets(tree: Root, from: number, delta: number): void {
  // A plain walk: a 100 KB role holds a hundred thousand nodes, and `visit` costs many times more.
  const stack: Nodes[] = [tree];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    const position = node.position;
    if (position) {
      if (position.start.offset !== undefined && position.start.offset >= from) position.start.offset += delta;
      if (position.end.offset !== undefined && position.end.offset >= from) position.end.offset += delta;
    }
    if ('children' in node) for (const child of node.children) stack.push(child);
  }
}

/**
 * Parse Markdown without frontmatter handling (values, context-pack files). Offsets point into
 * `text` exactly as given: the parser skips a leading byte-order mark, and the offsets are moved
 * past it, so `text.slice(start, end)` is always the node's source.
 *
 * @throws {UserError} `input-too-deep` when a line, or emphasis, nests deeper than the parser or
 *   the writer can take.
 */
export function parseMarkdown(text: string): Root {
  checkMarkdownNesting(text);
  const tree = parseBody(text);
  if (text.charCodeAt(0) === 0xfeff) shiftOffsets(tree, 0, 1);
  return tree;
}

/**
 * Read only the frontmatter of a document (a byte-order mark skipped), without parsing the
 * body: enough to tell what a file that does not load meant to define.
 */
export function parseFrontmatter(input: string): Frontmatter | undefined {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  return readFrontmatter(text)?.frontmatter;
}

/** Alias expansions allowed in frontmatter: enough for any real use, not for a billion laughs. */
const maxAliasCount = 50;

/** What the first line of a file says about frontmatter. */
type Opening = { kind: 'yaml' } | { kind: 'language'; fence: string } | undefined;

function opening(firstLine: string): Opening {
  if (!firstLine.startsWith('---')) return undefined;
  const rest = firstLine.slice(3);
  if (rest.trim() === '') return { kind: 'yaml' };
  // `----` or `--- - -` is a thematic break, not a fence.
  if (/^[-\s]*$/.test(rest)) return undefined;
  return { kind: 'language', fence: firstLine.trimEnd() };
}

/**
 * gray-matter finds the fences and nothing more. Its default engines include `javascript`, which
 * runs `---js` frontmatter as code, so every engine it knows is replaced by one that parses
 * nothing, and it is only ever shown a first line `---` alone (a fence naming a language is
 * refused before it is called). The YAML between the fences is then parsed by `yaml`, as data
 * only and with positions.
 */
const inert = { parse: (): Record<string, never> => ({}) };
interface FencesOnly extends GrayMatterOption<string, FencesOnly> {}
const fencesOnly: FencesOnly = {
  language: 'yaml',
  engines: { yaml: inert, yml: inert, json: inert, javascript: inert, js: inert, coffee: inert, cson: inert, toml: inert },
};

/** Where the fences are: the YAML text between them, and where the body starts. */
interface Fences {
  yamlText: string;
  /** Offset in the file where the body starts (after the closing fence's line ending). */
  prefixLength: number;
  /** 1-based line of the closing fence, or of the last line when it is never closed. */
  endLine: number;
  closed: boolean;
  /** The closing fence's line as written (without its line ending). */
  closingLine: string;
}

/** Split the frontmatter from the body with gray-matter, the first line read as `---` alone. */
function findFences(text: string, firstLineEnd: number): Fences {
  // The first line (with any language name or trailing spaces) is shown as `---`; every offset
  // after it is moved back by what was left out.
  const shift = firstLineEnd - 3;
  const shown = `---${text.slice(firstLineEnd)}`;
  const file = matter(shown, fencesOnly);
  const afterOpening = 3 + file.matter.length;
  const closed = shown.length - file.content.length > afterOpening;
  const yamlText = file.matter.replace(/^\r?\n/, '').replace(/\r$/, '');
  const lineCount = (upTo: number): number => {
    let lines = 1;
    for (let at = text.indexOf('\n'); at !== -1 && at < upTo; at = text.indexOf('\n', at + 1)) lines++;
    return lines;
  };
  if (!closed) return { yamlText, prefixLength: text.length, endLine: Math.max(1, lineCount(text.replace(/\r?\n$/, '').length)), closed, closingLine: '' };
  const closingStart = shift + afterOpening + 1;
  return {
    yamlText,
    prefixLength: text.length - file.content.length,
    endLine: lineCount(closingStart),
    closed,
    closingLine: text.slice(closingStart, lineEnd(text, closingStart).end),
  };
}

/**
 * Find the frontmatter: a first line `---` (trailing spaces allowed) and the next line that
 * starts with `---`. The YAML between is parsed as data only (no custom tags, aliases capped).
 */
function readFrontmatter(text: string): { frontmatter: Frontmatter; prefixLength: number } | undefined {
  const firstEnd = lineEnd(text, 0);
  const open = opening(text.slice(0, firstEnd.end));
  if (!open) return undefined;
  const { yamlText, prefixLength, endLine, closed, closingLine } = findFences(text, firstEnd.end);
  const startLine = 2;
  const frontmatter: Frontmatter = { raw: yamlText, data: {}, startLine, endLine, closed };
  const problem = (code: FrontmatterProblem['code'], message: string, place: Point): { frontmatter: Frontmatter; prefixLength: number } => {
    frontmatter.problem = { code, message, place };
    return { frontmatter, prefixLength };
  };
  if (open.kind === 'language') {
    return problem('language', `the opening fence \`${open.fence}\` names a language, expected a line \`---\` alone: only YAML frontmatter is read`, { line: 1, column: 4 });
  }
  if (!closed) return problem('unclosed', 'frontmatter is never closed: expected a line `---` after the YAML', { line: 1, column: 1 });
  if (!/^---[ \t]*$/.test(closingLine)) {
    return problem('fence', `the closing fence \`${closingLine.trimEnd()}\` has text after \`---\`, expected a line \`---\` alone`, { line: endLine, column: 4 });
  }
  const deep = deepBracketPlace(yamlText, 'yaml') ?? deepLinePlace(yamlText);
  if (deep) return problem('nesting', `frontmatter nests too deep (over ${maxNesting} levels), expected a few levels at most`, { line: startLine + deep.line - 1, column: deep.column });
  const lineCounter = new LineCounter();
  let data: unknown;
  try {
    const doc = guardStack(() => parseYamlDocument(yamlText, { lineCounter, prettyErrors: false }));
    const error = doc.errors[0];
    if (error) {
      const pos = lineCounter.linePos(error.pos[0]);
      return problem('yaml', firstLine(error.message), { line: startLine + pos.line - 1, column: pos.col });
    }
    data = guardStack(() => doc.toJS({ maxAliasCount }) as unknown);
  } catch (error) {
    // An alias without its anchor, too many alias expansions, nesting the guard caught.
    const nesting = nestingFailure(error);
    if (nesting) return problem('nesting', nesting.reason, { line: startLine, column: 1 });
    // The error has no position; an unresolved alias is found by its name.
    const alias = /Unresolved alias[^:]*:\s*(\S+)/.exec(error instanceof Error ? error.message : '')?.[1];
    const at = alias === undefined ? -1 : yamlText.search(new RegExp(`\\*${alias.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`));
    const place = at === -1 ? { line: startLine, column: 1 } : { line: startLine + lineCounter.linePos(at).line - 1, column: lineCounter.linePos(at).col };
    return problem('alias', aliasReason(error), place);
  }
  if (data === null || data === undefined) return { frontmatter, prefixLength };
  if (!isRecord(data)) return problem('mapping', 'frontmatter must be a YAML mapping of keys to values', { line: startLine, column: 1 });
  frontmatter.data = data;
  return { frontmatter, prefixLength };
}

function aliasReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/Excessive alias count/i.test(message)) return `frontmatter expands YAML aliases more than ${maxAliasCount} times, expected plain values`;
  if (/Unresolved alias/i.test(message)) {
    const name = /:\s*(\S+)\s*$/.exec(firstLine(message))?.[1] ?? '';
    return `frontmatter uses the alias \`*${name}\` without an anchor \`&${name}\` before it, expected the anchor first`;
  }
  return `frontmatter YAML cannot be read (${firstLine(message)}), expected plain YAML values`;
}

/** End of the line starting at `from` (before its line ending) and start of the next one. */
function lineEnd(text: string, from: number): { end: number; next: number } {
  const newline = text.indexOf('\n', from);
  if (newline === -1) return { end: text.length, next: text.length };
  return { end: newline > from && text[newline - 1] === '\r' ? newline - 1 : newline, next: newline + 1 };
}

function blank(text: string): string {
  return text.replace(/[^\r\n]/g, ' ');
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).trim();
}

/** Whether a value is a plain object (a YAML mapping). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

import matter from 'gray-matter';
import type { Root } from 'mdast';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { LineCounter, parseDocument as parseYamlDocument } from 'yaml';

/** A point in the original file, 1-based like unist positions. */
export interface Point {
  line: number;
  column: number;
}

/** Why the frontmatter of a document could not be read. */
export interface FrontmatterProblem {
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

const parser = unified().use(remarkParse);

/** Parse a Markdown document with optional YAML frontmatter. */
export function parseDocument(input: string): ParsedDocument {
  const bom = input.charCodeAt(0) === 0xfeff;
  const text = bom ? input.slice(1) : input;
  const split = readFrontmatter(text);
  const prefixLength = split?.prefixLength ?? 0;
  const prefix = text.slice(0, prefixLength);
  // The frontmatter is replaced by its line endings alone, which keeps every line and column
  // of the body; offsets are then moved back by the characters removed. (Blanking it with
  // spaces instead keeps offsets too, but makes the parser read every space: twice the time.)
  if (prefixLength > 0 && /[\r\n]$/.test(prefix)) {
    const lineEnds = prefix.replace(/[^\r\n]/g, '');
    const tree = parser.parse(lineEnds + text.slice(prefixLength));
    shiftOffsets(tree, lineEnds.length, prefixLength - lineEnds.length);
    return { text, bom, frontmatter: split?.frontmatter, tree };
  }
  const blanked = prefixLength > 0 ? blank(prefix) + text.slice(prefixLength) : text;
  const tree = parser.parse(blanked);
  return { text, bom, frontmatter: split?.frontmatter, tree };
}

/** Add `delta` to every offset at or after `from` (points before it lie in the removed part). */
function shiftOffsets(tree: Root, from: number, delta: number): void {
  visit(tree, (node) => {
    const position = node.position;
    if (!position) return;
    if (position.start.offset !== undefined && position.start.offset >= from) position.start.offset += delta;
    if (position.end.offset !== undefined && position.end.offset >= from) position.end.offset += delta;
  });
}

/** Parse Markdown without frontmatter handling (used for values and context-pack files). */
export function parseMarkdown(text: string): Root {
  return parser.parse(text);
}

// gray-matter finds the fences. Its YAML engine is replaced by a no-op: the YAML is parsed below
// with `yaml`, which reports positions. Passing options also disables gray-matter's cache.
const splitOptions = { engines: { yaml: { parse: (): object => ({}) } } };

function readFrontmatter(text: string): { frontmatter: Frontmatter; prefixLength: number } | undefined {
  if (!matter.test(text) || text.charAt(3) === '-') return undefined;
  const file = matter(text, splitOptions);
  const raw = file.matter;
  const closed = text.indexOf('\n---', 3) !== -1;
  const startLine = 2;
  const endLine = 1 + (raw.match(/\n/g)?.length ?? 0) + (closed ? 1 : 0);
  const yamlText = raw.slice(raw.indexOf('\n') + 1).replace(/\r$/, '');
  const frontmatter: Frontmatter = { raw: yamlText, data: {}, startLine, endLine, closed };
  const prefixLength = text.length - file.content.length;
  if (!closed) {
    frontmatter.problem = {
      message: 'frontmatter is never closed: expected a line `---` after the YAML',
      place: { line: 1, column: 1 },
    };
    return { frontmatter, prefixLength };
  }
  const lineCounter = new LineCounter();
  const doc = parseYamlDocument(yamlText, { lineCounter, prettyErrors: false });
  const error = doc.errors[0];
  if (error) {
    const pos = lineCounter.linePos(error.pos[0]);
    frontmatter.problem = {
      message: firstLine(error.message),
      place: { line: startLine + pos.line - 1, column: pos.col },
    };
    return { frontmatter, prefixLength };
  }
  const data = doc.toJS() as unknown;
  if (data === null || data === undefined) return { frontmatter, prefixLength };
  if (!isRecord(data)) {
    frontmatter.problem = {
      message: 'frontmatter must be a YAML mapping of keys to values',
      place: { line: startLine, column: 1 },
    };
    return { frontmatter, prefixLength };
  }
  frontmatter.data = data;
  return { frontmatter, prefixLength };
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

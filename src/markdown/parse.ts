import type { Root } from 'mdast';
import { eachNode } from './each-node.js';
import { parseBody } from './parse-body.js';
import { readFrontmatter, type Frontmatter } from './frontmatter.js';
import { checkMarkdownNesting } from './limits.js';

export type { Frontmatter, FrontmatterProblem } from './frontmatter.js';
export { isRecord } from './frontmatter.js';
export type { Point } from './point.js';

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
  return parseDocumentBody(readDocumentHead(input));
}

/** A document whose frontmatter is read and whose body is not parsed yet. */
export interface DocumentHead {
  /** The text (a leading byte-order mark removed). */
  text: string;
  /** Whether the input started with a byte-order mark. */
  bom: boolean;
  frontmatter: Frontmatter | undefined;
  /** Where the body starts in `text` (after the closing fence's line ending). */
  bodyStart: number;
}

/**
 * Read a document's frontmatter alone; {@link parseDocumentBody} parses the body later without
 * reading the YAML again. `parseDocument(input)` is `parseDocumentBody(readDocumentHead(input))`.
 */
export function readDocumentHead(input: string): DocumentHead {
  const bom = input.charCodeAt(0) === 0xfeff;
  const text = bom ? input.slice(1) : input;
  const split = readFrontmatter(text);
  return { text, bom, frontmatter: split?.frontmatter, bodyStart: split?.prefixLength ?? 0 };
}

/**
 * Parse the body of a document read by {@link readDocumentHead}.
 *
 * @throws {UserError} `input-too-deep`, as {@link parseDocument}.
 */
export function parseDocumentBody(head: DocumentHead): ParsedDocument {
  const { text, bom, frontmatter, bodyStart } = head;
  checkMarkdownNesting(text);
  const prefix = text.slice(0, bodyStart);
  // The frontmatter is replaced by its line endings alone, which keeps every line and column
  // of the body; offsets are then moved back by the characters removed. (Blanking it with
  // spaces instead keeps offsets too, but makes the parser read every space: twice the time.)
  if (bodyStart > 0 && /[\r\n]$/.test(prefix)) {
    const lineEnds = prefix.replace(/[^\r\n]/g, '');
    const tree = parseBody(lineEnds + text.slice(bodyStart));
    shiftOffsets(tree, lineEnds.length, bodyStart - lineEnds.length);
    return { text, bom, frontmatter, tree };
  }
  const blanked = bodyStart > 0 ? blank(prefix) + text.slice(bodyStart) : text;
  return { text, bom, frontmatter, tree: parseBody(blanked) };
}

/** Add `delta` to every offset at or after `from` (points before it lie in the removed part). */
function shiftOffsets(tree: Root, from: number, delta: number): void {
  eachNode(tree, (node) => {
    const position = node.position;
    if (!position) return;
    if (position.start.offset !== undefined && position.start.offset >= from) position.start.offset += delta;
    if (position.end.offset !== undefined && position.end.offset >= from) position.end.offset += delta;
  });
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
  return readDocumentHead(input).frontmatter;
}

function blank(text: string): string {
  return text.replace(/[^\r\n]/g, ' ');
}

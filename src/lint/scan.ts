import type { Code, Definition, Html, InlineCode, Nodes, Root, Text } from 'mdast';
import { eachNode } from '../markdown/index.js';
import { placeholderPattern } from '../templates/placeholders.js';
import type { Place } from './rule.js';
import type { TemplateLintInput } from './template-input.js';

/** A match found in the file, with where it is. */
export interface Located {
  text: string;
  place: Place;
  /** Offset in the input's text (undefined for matches inside frontmatter values). */
  offset?: number;
}

/** The nodes several rules look at, gathered in one walk of the tree. */
export interface NodeIndex {
  /** Text, inline code and code: where placeholders are filled. */
  literals: Array<Text | InlineCode | Code>;
  /** `[start, end)` offsets of every code block and inline code span. */
  codeRanges: Array<[number, number]>;
  html: Html[];
  /** Blocks whose text reads as sentences: paragraphs, headings, code, table cells. */
  blocks: Nodes[];
  /** Link reference definitions (`[x]: url "title"`), which a rendered view never shows. */
  definitions: Definition[];
  /** Identifiers that link or image references use. */
  referenced: Set<string>;
}

const indexes = new WeakMap<Root, NodeIndex>();

/** Index a tree once; every rule asking for the same tree gets the same index. */
export function nodeIndex(tree: Root): NodeIndex {
  const cached = indexes.get(tree);
  if (cached) return cached;
  const index: NodeIndex = { literals: [], codeRanges: [], html: [], blocks: [], definitions: [], referenced: new Set() };
  eachNode(tree, (node) => {
    switch (node.type) {
      case 'text':
        index.literals.push(node);
        break;
      case 'inlineCode':
      case 'code': {
        index.literals.push(node);
        const start = node.position?.start.offset;
        const end = node.position?.end.offset;
        if (start !== undefined && end !== undefined) index.codeRanges.push([start, end]);
        if (node.type === 'code') index.blocks.push(node);
        break;
      }
      case 'html':
        index.html.push(node);
        break;
      case 'definition':
        index.definitions.push(node);
        break;
      case 'linkReference':
      case 'imageReference':
        index.referenced.add(node.identifier);
        break;
      case 'paragraph':
      case 'heading':
      case 'tableCell':
        index.blocks.push(node);
        break;
      default:
    }
  });
  indexes.set(tree, index);
  return index;
}

/** `[start, end)` offsets of every code block and inline code span in a tree. */
export function codeRanges(tree: Root): Array<[number, number]> {
  return nodeIndex(tree).codeRanges;
}

/** Whether an offset falls in one of the ranges. */
export function within(offset: number, ranges: ReadonlyArray<[number, number]>): boolean {
  return ranges.some(([start, end]) => offset >= start && offset < end);
}

/** The source text of a node, as it stands in the file. */
export function sourceOf(input: TemplateLintInput, node: Nodes): { text: string; offset: number } | undefined {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  if (start === undefined || end === undefined) return undefined;
  return { text: input.text.slice(start, end), offset: start };
}

/** The place `index` characters into a frontmatter scalar whose source starts at `place`. */
export function placeInScalar(place: Place, source: string, index: number): Place {
  const before = source.slice(0, index);
  const newline = before.lastIndexOf('\n');
  if (newline === -1) return { line: place.line, column: place.column + index };
  return { line: place.line + (before.match(/\n/g)?.length ?? 0), column: index - newline };
}

// Two rules ask for the same uses of the same file; one walk of the tree serves both.
const usesCache = new WeakMap<TemplateLintInput, Array<Located & { name: string }>>();

/**
 * Every `{{placeholder}}` that the renderer fills: in the body's text, inline code and code
 * blocks, and in the frontmatter `scope`. Each comes with its exact place.
 */
export function placeholderUses(input: TemplateLintInput): ReadonlyArray<Located & { name: string }> {
  const cached = usesCache.get(input);
  if (cached) return cached;
  const uses: Array<Located & { name: string }> = [];
  usesCache.set(input, uses);
  for (const node of nodeIndex(input.doc.tree).literals) {
    const source = sourceOf(input, node);
    if (!source || !source.text.includes('{{')) continue;
    for (const match of source.text.matchAll(placeholderPattern)) {
      const offset = source.offset + match.index;
      uses.push({ name: match[1] as string, text: match[0], place: input.pointAt(offset), offset });
    }
  }
  const raw = input.data['scope'];
  const scope = typeof raw === 'string' && raw.includes('{{') ? input.frontmatterScalar(['scope']) : undefined;
  if (scope) {
    for (const match of scope.source.matchAll(placeholderPattern)) {
      uses.push({ name: match[1] as string, text: match[0], place: placeInScalar(scope.place, scope.source, match.index) });
    }
  }
  return uses;
}

/** A heading's text as written (without the `#` marks). */
export function headingSource(input: TemplateLintInput, node: Nodes): string {
  const source = sourceOf(input, node);
  return source ? source.text.replace(/^#+[ \t]*/, '').replace(/[ \t]+#*[ \t]*$/, '').trim() : '';
}

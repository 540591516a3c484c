import type { Nodes, Root } from 'mdast';
import { isUserError, UserError } from '../errors/index.js';
import type { Point } from './point.js';

/**
 * How deep any input may nest before it is parsed. Parsers recurse once per level (Markdown
 * quotes and lists, YAML and JSON collections): thousands of levels overflow the stack, a few
 * hundred already take seconds in the Markdown parser. No template, context pack or skill file
 * needs more than a handful, so deeper input is refused before a parser sees it.
 */
export const maxNesting = 256;

/** The data of an `input-too-deep` {@link UserError}: where, and the reason alone. */
export interface NestingFailure {
  place: Point;
  reason: string;
}

/**
 * Input nested deeper than {@link maxNesting}: refused before parsing, `line N: reason`. Every
 * reader that knows the file turns it into its own message or finding ({@link nestingFailure}).
 */
function nestingError(reason: string, place: Point): UserError {
  return new UserError('input-too-deep', `line ${place.line}: ${reason}`, { data: { reason, place } });
}

/** Where and why input was too deep, when `error` is that refusal; otherwise undefined (rethrow it). */
export function nestingFailure(error: unknown): NestingFailure | undefined {
  return isUserError(error, 'input-too-deep') && error.data !== undefined ? (error.data as unknown as NestingFailure) : undefined;
}

// One line opening `maxNesting` levels: indentation, quote markers or list markers (Markdown,
// and YAML block sequences such as `- - - -`).
const deepLine = new RegExp(`^(?:[ \\t>]|[-*+?][ \\t]|\\d{1,9}[.)][ \\t]){${maxNesting},}`, 'm');

/** Where a line opens more than {@link maxNesting} levels of indentation, quotes or list markers. */
export function deepLinePlace(text: string): Point | undefined {
  const deep = deepLine.exec(text);
  if (!deep) return undefined;
  return { line: lineOf(text, deep.index), column: 1 };
}

/**
 * Where brackets (`[`, `{`) outside quoted strings nest more than {@link maxNesting} deep: the
 * flow collections of JSON and YAML.
 *
 * JSON strings are exact: `"` to the next unescaped `"`. YAML is read loosely: a quote starts a
 * string only where a value can start (after a space, a bracket, `,` or `:`), so the apostrophe
 * of `don't` does not, and a string ends at its closing quote or at the end of the line, so an
 * unbalanced quote never hides the lines after it. A YAML file built to slip past this still
 * meets the parser's own guard (a stack overflow there is caught and reported as too deep).
 */
export function deepBracketPlace(text: string, syntax: 'json' | 'yaml'): Point | undefined {
  const json = syntax === 'json';
  let depth = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (char === '\n' && !json) {
      quote = '';
    } else if (quote !== '') {
      if (char === '\\' && quote === '"') i++;
      else if (char === quote) quote = '';
    } else if (char === '"' || (char === "'" && !json)) {
      if (json || i === 0 || /[\s[{,:]/.test(text[i - 1] as string)) quote = char;
    } else if (char === '[' || char === '{') {
      if (++depth > maxNesting) return { line: lineOf(text, i), column: i - text.lastIndexOf('\n', i - 1) };
    } else if ((char === ']' || char === '}') && depth > 0) depth--;
  }
  return undefined;
}

/**
 * Refuse Markdown whose nesting would take the parser seconds or overflow its stack.
 *
 * @throws {UserError} `input-too-deep` naming the line.
 */
export function checkMarkdownNesting(text: string): void {
  const place = deepLinePlace(text);
  if (place) throw nestingError(`nesting too deep (over ${maxNesting} levels of indentation, quotes or list markers on one line), expected a few levels at most`, place);
}

/**
 * Refuse JSON or YAML nested deeper than {@link maxNesting}: flow collections (`[[[...`), and
 * block sequences opened on one line (`- - - ...`).
 *
 * @throws {UserError} `input-too-deep` naming the line.
 */
export function checkDataNesting(text: string, syntax: 'json' | 'yaml'): void {
  const place = deepBracketPlace(text, syntax) ?? deepLinePlace(text);
  if (place) throw nestingError(`nesting too deep (over ${maxNesting} levels of lists or mappings), expected a few levels at most`, place);
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * How deep emphasis and strong may nest inside each other. Writing Markdown back (every prompt
 * is written) costs time that grows with the square of that depth and overflows the stack a
 * few thousand levels down; no template needs more than a few.
 */
export const maxEmphasisNesting = 32;

/**
 * Refuse a tree whose emphasis and strong nest deeper than {@link maxEmphasisNesting}: 12 KB of
 * `*a ` then `a* ` nests two thousand levels, which took half a minute to write and then
 * overflowed the stack.
 *
 * @throws {UserError} `input-too-deep` naming the line of the first level over the limit.
 */
export function checkEmphasisNesting(tree: Root): void {
  const stack: Array<{ node: Nodes; depth: number }> = [{ node: tree, depth: 0 }];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const { node } = top;
    const depth = node.type === 'emphasis' || node.type === 'strong' ? top.depth + 1 : top.depth;
    if (depth > maxEmphasisNesting) {
      const start = node.position?.start ?? { line: 1, column: 1 };
      throw nestingError(`emphasis nests too deep (over ${maxEmphasisNesting} levels of \`*\` or \`_\` inside each other), expected a few levels at most`, { line: start.line, column: start.column });
    }
    if ('children' in node) for (const child of node.children) stack.push({ node: child, depth });
  }
}

/**
 * Run a parser on input that passed the checks above, turning a stack overflow that still
 * happens (input built to slip past them) into a `input-too-deep` {@link UserError} instead of a crash.
 */
export function guardStack<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      throw nestingError(`nesting too deep for the parser (over ${maxNesting} levels), expected a few levels at most`, { line: 1, column: 1 });
    }
    throw error;
  }
}

import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { Frontmatter } from '../markdown/index.js';
import type { Place } from './rule.js';

/** Which part of a `key: value` pair to point at. */
export type PairPart = 'key' | 'value';

/** Finds places of frontmatter keys and values in the original file. */
export interface FrontmatterPlaces {
  /**
   * The place of the key or value at `path` (`['parameters', 0, 'name']`). When the path does
   * not exist, the place of its deepest existing ancestor; the first frontmatter line for `[]`.
   */
  at(path: ReadonlyArray<string | number>, part?: PairPart): Place;
  /** The start of the value at `path` as an offset into the YAML text, if it is a plain scalar. */
  scalarSource(path: ReadonlyArray<string | number>): { place: Place; source: string } | undefined;
}

/**
 * Index a frontmatter block for positions. The YAML is re-parsed with a line counter (cheap:
 * frontmatter is a few lines) so that every key and value maps back to `line:column` in the
 * original file, frontmatter lines counted.
 */
export function frontmatterPlaces(frontmatter: Frontmatter): FrontmatterPlaces {
  const lineCounter = new LineCounter();
  const doc = parseDocument(frontmatter.raw, { lineCounter, prettyErrors: false });
  const toPlace = (offset: number): Place => {
    const pos = lineCounter.linePos(offset);
    return { line: frontmatter.startLine + pos.line - 1, column: pos.col };
  };
  const first: Place = { line: frontmatter.startLine, column: 1 };

  const walk = (path: ReadonlyArray<string | number>): { key?: Node; value?: Node; depth: number } => {
    let node: unknown = doc.contents;
    let found: { key?: Node; value?: Node; depth: number } = { depth: 0 };
    for (const [i, segment] of path.entries()) {
      if (isMap(node)) {
        const pair = node.items.find((item) => (isScalar(item.key) ? String(item.key.value) : String(item.key)) === String(segment));
        if (!pair) break;
        found = { depth: i + 1 };
        if (isNode(pair.key)) found.key = pair.key;
        if (isNode(pair.value)) found.value = pair.value;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment];
        if (!isNode(item)) break;
        found = { depth: i + 1, key: item, value: item };
        node = item;
      } else break;
    }
    return found;
  };

  return {
    at(path, part = 'value') {
      const found = walk(path);
      const complete = found.depth === path.length;
      // A missing key is reported where its parent mapping starts.
      const node = complete ? (part === 'key' ? found.key ?? found.value : found.value ?? found.key) : found.key ?? found.value;
      const offset = node?.range?.[0];
      return offset === undefined || (path.length > 0 && found.depth === 0) ? first : toPlace(offset);
    },
    scalarSource(path) {
      const found = walk(path);
      const value = found.value;
      if (found.depth !== path.length || !isScalar(value) || !value.range) return undefined;
      return { place: toPlace(value.range[0]), source: frontmatter.raw.slice(value.range[0], value.range[1]) };
    },
  };
}

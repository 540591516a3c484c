import type { Nodes, Root } from 'mdast';
import remarkStringify from 'remark-stringify';
import { unified, type Processor } from 'unified';
import { noFolder } from './parse-body.js';
import { markdownStyle } from './stringify.js';

let writer: Processor<undefined, undefined, undefined, Root, string> | undefined;

/**
 * Serialize an mdast tree with remark-stringify and the house style: the Markdown writer for
 * everything off the prompt's startup path (lint, freezing templates at build time).
 */
export function stringifyDocument(tree: Nodes): string {
  writer ??= unified().use(remarkStringify, markdownStyle);
  return writer.stringify(tree as Root, { cwd: noFolder });
}

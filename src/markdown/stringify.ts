import type { Nodes } from 'mdast';
import { toMarkdown, type Options } from 'mdast-util-to-markdown';

/** The one Markdown style every generated file and prompt uses. */
export const markdownStyle: Options = {
  bullet: '-',
  emphasis: '_',
  strong: '*',
  fence: '`',
  fences: true,
  rule: '-',
  listItemIndent: 'one',
  incrementListMarker: true,
};

/** Serialize an mdast tree with the house style. */
export function stringifyMarkdown(tree: Nodes): string {
  return toMarkdown(tree, markdownStyle);
}

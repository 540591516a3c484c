import type { Nodes } from 'mdast';
import { toMarkdown } from 'mdast-util-to-markdown';
import type { Options } from 'remark-stringify';

/**
 * The one Markdown style every generated file and prompt uses: remark-stringify's options. The
 * writer is remark-stringify (`write-document.ts`, through unified); on the prompt path, where
 * loading unified would cost the startup budget, the same options go straight to
 * mdast-util-to-markdown, the serializer remark-stringify calls (a test checks both agree on
 * every Markdown file of the package).
 */
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

/** Serialize an mdast tree with the house style, without loading unified (the prompt path). */
export function stringifyMarkdown(tree: Nodes): string {
  return toMarkdown(tree, markdownStyle);
}

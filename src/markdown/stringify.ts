import type { Nodes } from 'mdast';
import { toMarkdown, type Options } from 'mdast-util-to-markdown';

/**
 * The one Markdown style every generated file and prompt uses: remark-stringify's options (its
 * `Options` type is mdast-util-to-markdown's, named from there so that the published typings do
 * not pull in unified and vfile). The writer is remark-stringify (`write-document.ts`, through
 * unified); on the prompt path, where loading unified would cost the startup budget, the same
 * options go straight to mdast-util-to-markdown, the serializer remark-stringify calls (a test
 * checks both agree on every Markdown file of the package).
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

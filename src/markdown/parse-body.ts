import type { Root } from 'mdast';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { checkEmphasisNesting, guardStack } from './limits.js';
import { useLinearAttention } from './linear-attention.js';
import { useLinearEditMap } from './linear-edits.js';

const parser = unified().use(remarkParse);

/**
 * The folder of the virtual file unified wraps a text in; naming one keeps vfile from asking
 * the process for its current folder, which fails when that folder was removed. Nothing here
 * resolves a path against it.
 */
export const noFolder = '/';

/**
 * Parse Markdown (no frontmatter handling) with the parser made linear, turning a stack
 * overflow into an error and refusing emphasis nested deeper than anything can write back.
 * The caller checks line nesting first (`checkMarkdownNesting`).
 *
 * @throws {UserError} `input-too-deep`.
 */
export function parseBody(text: string): Root {
  useLinearEditMap();
  useLinearAttention();
  const tree = guardStack(() => parser.parse({ value: text, cwd: noFolder }));
  checkEmphasisNesting(tree);
  return tree;
}

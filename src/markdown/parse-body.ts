import type { Root } from 'mdast';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { checkEmphasisNesting, guardStack } from './limits.js';
import { useLinearAttention } from './linear-attention.js';
import { useLinearEditMap } from './linear-edits.js';

const parser = unified().use(remarkParse);

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
  const tree = guardStack(() => parser.parse(text));
  checkEmphasisNesting(tree);
  return tree;
}

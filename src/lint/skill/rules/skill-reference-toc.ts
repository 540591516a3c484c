import type { List, RootContent } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { visit } from 'unist-util-visit';
import { defineRule } from '../../rule.js';
import type { SkillLintInput } from '../skill-input.js';
import { isReferencePage } from './skill-references.js';

/** Reference pages longer than this need a table of contents. */
export const tocLineThreshold = 100;

const contentsHeading = /^(?:table of contents|contents|on this page)$/i;

/**
 * Whether a page has a table of contents: a heading named "Contents" (or "Table of contents",
 * "On this page"), or a list of at least two links to headings of the page before its first
 * section.
 */
export function hasContents(children: readonly RootContent[]): boolean {
  for (const node of children) {
    if (node.type === 'heading') {
      if (contentsHeading.test(toString(node).trim())) return true;
      if (node.depth >= 2) return false;
    }
    if (node.type === 'list' && anchorLinks(node) >= 2) return true;
  }
  return false;
}

function anchorLinks(list: List): number {
  let count = 0;
  visit(list, 'link', (link) => {
    if (link.url.startsWith('#')) count++;
  });
  return count;
}

/**
 * A reference page longer than 100 lines starts with a table of contents: an agent often reads
 * only the first lines of a page, and the contents tell it what else is there.
 */
export default defineRule<SkillLintInput>({
  id: 'skill-reference-toc',
  appliesTo: 'skill',
  severity: 'warn',
  summary: `Reference pages longer than ${tocLineThreshold} lines start with a table of contents.`,
  messages: {
    missing: 'page is {lines} lines long and has no table of contents, expected a list of links to its sections before the first one (or a "Contents" heading)',
  },
  check(input, report) {
    if (!isReferencePage(input.file) || !input.doc) return;
    const lines = input.raw.replace(/\r?\n$/, '').split(/\r?\n/).length;
    if (lines > tocLineThreshold && !hasContents(input.doc.tree.children)) report('missing', { line: 1, column: 1 }, { lines });
  },
});

import type { ListItem } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { defineRule } from '../rule.js';
import type { TemplateLintInput } from '../template-input.js';

/**
 * A lens carries at least one concrete check: a list item that names what to look for, with an
 * example, a case or a pattern (inline code, a parenthesis, an enumeration after a colon, or "such
 * as"). A lens that only says "look for security problems" adds tokens and no direction.
 */
export default defineRule<TemplateLintInput>({
  id: 'lens-concrete-check',
  appliesTo: 'template',
  severity: 'warn',
  summary: 'A lens has at least one list item naming a concrete thing to look for.',
  messages: {
    noList: 'lens has no list of checks, expected `- ` items, each naming something concrete to look for',
    vague: 'no check of this lens names anything concrete, expected at least one item with examples, such as `- Secrets: keys or tokens in code, logs or fixtures`',
  },
  check(input, report) {
    if (input.kind !== 'lens') return;
    const items: ListItem[] = [];
    for (const node of input.doc.tree.children) if (node.type === 'list') items.push(...node.children);
    const first = input.doc.tree.children[0]?.position?.start;
    const place = first ? { line: first.line, column: first.column } : input.pointAt(input.text.length);
    if (items.length === 0) {
      report('noList', place);
      return;
    }
    if (!items.some(isConcrete)) report('vague', place);
  },
});

function isConcrete(item: ListItem): boolean {
  const hasCode = (nodes: readonly unknown[]): boolean =>
    nodes.some((node) => {
      const n = node as { type: string; children?: unknown[] };
      return n.type === 'inlineCode' || (n.children !== undefined && hasCode(n.children));
    });
  const text = toString(item);
  return hasCode(item.children) || /\(.+\)/.test(text) || /:\s*\S[^,]*,\s*\S/.test(text) || /\b(?:such as|e\.g\.|for example|for instance)\b/i.test(text);
}

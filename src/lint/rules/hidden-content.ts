import { isDirectiveComment } from '../directives.js';
import { defineRule } from '../rule.js';
import { nodeIndex, sourceOf } from '../scan.js';
import type { TemplateLintInput } from '../template-input.js';

// Zero-width characters and bidirectional controls: invisible to a reviewer, read by the model.
const invisible = /[\u200B-\u200D\u2060-\u2064\uFEFF\u00AD\u180E]+|[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]+/g;
const comment = /<!--([^]*?)(?:-->|$)/g;

/**
 * Nothing in a template may be hidden from the person reviewing it: invisible characters, and
 * HTML comments with text (a rendered Markdown view hides them, the prompt keeps them).
 */
export default defineRule<TemplateLintInput>({
  id: 'hidden-content',
  appliesTo: 'template',
  severity: 'error',
  summary: 'No zero-width or bidirectional control characters, and no text hidden in HTML comments.',
  messages: {
    invisible: 'invisible character {codes} ({what}), expected visible text only: a reviewer cannot see it, the worker reads it',
    comment: 'HTML comment with text `{excerpt}`, expected visible text: rendered Markdown hides it, the worker reads it',
  },
  check(input, report) {
    for (const match of input.text.matchAll(invisible)) {
      const codes = [...new Set([...match[0]].map((char) => `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`))].join(', ');
      const what = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/.test(match[0]) ? 'bidirectional control' : 'zero-width';
      report('invisible', input.pointAt(match.index), { codes, what });
    }
    for (const node of nodeIndex(input.doc.tree).html) {
      const source = sourceOf(input, node);
      if (!source) continue;
      for (const match of source.text.matchAll(comment)) {
        const text = (match[1] ?? '').trim();
        if (text === '' || isDirectiveComment(match[0])) continue;
        const excerpt = text.replace(/\s+/g, ' ').slice(0, 40) + (text.length > 40 ? '...' : '');
        report('comment', input.pointAt(source.offset + match.index), { excerpt });
      }
    }
  },
});

import { defineRule } from '../rule.js';
import type { TemplateLintInput } from '../template-input.js';

// `[TODO ...]`, `TODO:`, `TBD`, `FIXME`, `<placeholder>` and fill-in-the-blank angle brackets.
const leftover =
  /\[TODO\b[^\]\n]*\]?|\bTODO\b:?|\bTBD\b|\bFIXME\b|<placeholder>|<(?:your|insert|fill[ \t]+in|describe|enter|replace[ \t]+with|add)\b[^<>\n]{0,80}>/g;

/** Drafting markers left in a template reach every worker as instructions. */
export default defineRule<TemplateLintInput>({
  id: 'todo-placeholder',
  appliesTo: 'template',
  severity: 'error',
  summary: 'No drafting markers (`[TODO`, `TBD`, `FIXME`, `<placeholder>`) are left in.',
  messages: {
    leftover: 'drafting marker `{found}` left in, expected finished text (every worker would read it)',
  },
  check(input, report) {
    for (const match of input.text.matchAll(leftover)) {
      report('leftover', input.pointAt(match.index), { found: match[0].trim() });
    }
  },
});

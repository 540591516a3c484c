import { defineRule } from '../rule.js';
import type { TemplateLintInput } from '../template-input.js';

/** The frontmatter must be readable YAML, closed by a `---` line. */
export default defineRule<TemplateLintInput>({
  id: 'frontmatter-yaml',
  appliesTo: 'template',
  severity: 'error',
  summary: 'The frontmatter is YAML that parses, between two `---` lines.',
  messages: {
    invalid: 'frontmatter YAML does not parse: {reason}',
    unclosed: 'frontmatter is never closed, expected a line `---` after the YAML',
  },
  check(input, report) {
    const fm = input.doc.frontmatter;
    if (!fm?.problem) return;
    if (!fm.closed) report('unclosed', fm.problem.place);
    else report('invalid', fm.problem.place, { reason: fm.problem.message });
  },
});

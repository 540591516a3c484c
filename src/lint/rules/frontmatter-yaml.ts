import { defineRule } from '../rule.js';
import type { TemplateLintInput } from '../template-input.js';

/**
 * The frontmatter must be readable YAML, closed by a `---` line. Only YAML is read: a fence that
 * names another language (`---js`) is reported, never evaluated.
 */
export default defineRule<TemplateLintInput>({
  id: 'frontmatter-yaml',
  appliesTo: 'template',
  severity: 'error',
  summary: 'The frontmatter is YAML that parses, between two `---` lines.',
  messages: {
    invalid: 'frontmatter YAML does not parse: {reason}',
    unclosed: 'frontmatter is never closed, expected a line `---` after the YAML',
    language: '{reason} (a fence such as `---js` is never run)',
    unreadable: '{reason}',
  },
  check(input, report) {
    const problem = input.doc.frontmatter?.problem;
    if (!problem) return;
    if (problem.code === 'unclosed') report('unclosed', problem.place);
    else if (problem.code === 'language') report('language', problem.place, { reason: problem.message });
    else if (problem.code === 'yaml') report('invalid', problem.place, { reason: problem.message });
    else report('unreadable', problem.place, { reason: problem.message });
  },
});

import { quoteList } from '../../prompt/closest.js';
import { templateKinds } from '../../templates/frontmatter-schema.js';
import { validateFrontmatter } from '../../templates/validate-frontmatter.js';
import { defineRule } from '../rule.js';
import type { TemplateLintInput } from '../template-input.js';

/** Frontmatter keys, types and names follow the schema of the template's kind. */
export default defineRule<TemplateLintInput>({
  id: 'frontmatter-schema',
  appliesTo: 'template',
  severity: 'error',
  summary: 'Frontmatter keys, types and names match the schema of the template kind.',
  messages: {
    missing: 'no frontmatter, expected the file to start with `---`, YAML (kind, name, ...), `---`',
    kind: 'frontmatter `kind` is {found}, expected one of {expected}',
    violation: '{reason}',
  },
  check(input, report) {
    const fm = input.doc.frontmatter;
    if (!fm) {
      report('missing', { line: 1, column: 1 });
      return;
    }
    if (fm.problem) return; // frontmatter-yaml says why
    const kind = input.data['kind'];
    if (input.kind === undefined) {
      const found = kind === undefined ? 'missing' : `\`${String(kind)}\``;
      report('kind', input.frontmatterPlace(kind === undefined ? [] : ['kind']), { found, expected: quoteList(templateKinds) });
      return;
    }
    for (const violation of validateFrontmatter(input.kind, input.data)) {
      // Unknown keys point at the key itself; everything else at the value.
      const part = violation.message.startsWith('unknown key') ? 'key' : 'value';
      report('violation', input.frontmatterPlace(violation.path, part), { reason: violation.message });
    }
  },
});

import { roleSectionOf } from '../../templates/sections.js';
import { defineRule } from '../rule.js';
import { headingSource } from '../scan.js';
import type { TemplateLintInput } from '../template-input.js';

/** A section heading with nothing under it prints an empty block into every prompt. */
export default defineRule<TemplateLintInput>({
  id: 'empty-section',
  appliesTo: 'template',
  severity: 'warn',
  summary: 'No role section is empty.',
  messages: {
    empty: 'section `## {heading}` is empty, expected at least one line or list item under it',
  },
  check(input, report) {
    if (input.kind !== 'role') return;
    for (const section of input.sections().sections) {
      const start = section.heading.position?.start;
      if (!start || !roleSectionOf(section.key)) continue;
      const content = section.children.filter((node) => !(node.type === 'html' && /^<!--[^]*-->$/.test(node.value.trim())));
      if (content.length === 0) report('empty', { line: start.line, column: start.column }, { heading: headingSource(input, section.heading) });
    }
  },
});

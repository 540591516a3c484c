import { roleSectionOf } from '../../templates/sections.js';
import { defineRule } from '../rule.js';
import { headingSource } from '../scan.js';
import type { TemplateLintInput } from '../template-input.js';

/** Each role section appears once: the loader refuses a second one. */
export default defineRule<TemplateLintInput>({
  id: 'duplicate-section',
  appliesTo: 'template',
  severity: 'error',
  summary: 'Each section of a role appears once.',
  messages: {
    duplicate: 'section `## {heading}` appears again (first at line {firstLine}), expected each section once: merge them',
  },
  check(input, report) {
    if (input.kind !== 'role') return;
    const first = new Map<string, number>();
    for (const section of input.sections().sections) {
      const key = roleSectionOf(section.key) ?? section.key;
      const start = section.heading.position?.start;
      if (!start) continue;
      const earlier = first.get(key);
      if (earlier === undefined) first.set(key, start.line);
      else report('duplicate', { line: start.line, column: start.column }, { heading: headingSource(input, section.heading), firstLine: earlier });
    }
  },
});

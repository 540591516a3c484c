import { roleSectionHeadings } from '../../templates/model.js';
import { roleSectionOf } from '../../templates/sections.js';
import { defineRule } from '../rule.js';
import { headingSource } from '../scan.js';
import type { TemplateLintInput } from '../template-input.js';

/** A role body has a Task line and the Do, Output and Don't sections, and nothing else. */
export default defineRule<TemplateLintInput>({
  id: 'required-section',
  appliesTo: 'template',
  severity: 'error',
  summary: "A role has the sections `## Task` (with a task line), `## Do`, `## Output` and `## Don't`, and no others.",
  messages: {
    missing: "role has no `## {heading}` section, expected the sections Task, Do, Output and Don't",
    noTaskLine: '`## Task` has no task line, expected a paragraph such as `Review {{artefact}} and ...`',
    unknown: "unknown section `## {heading}`, expected one of Task, Do, Output, Don't",
  },
  check(input, report) {
    if (input.kind !== 'role') return;
    const { sections } = input.sections();
    const seen = new Set<string>();
    for (const section of sections) {
      const key = roleSectionOf(section.key);
      const place = section.heading.position?.start ?? { line: 1, column: 1 };
      if (!key) {
        report('unknown', { line: place.line, column: place.column }, { heading: headingSource(input, section.heading) });
        continue;
      }
      if (key === 'task' && !seen.has('task') && !section.children.some((node) => node.type === 'paragraph')) {
        report('noTaskLine', { line: place.line, column: place.column });
      }
      seen.add(key);
    }
    for (const [key, heading] of Object.entries(roleSectionHeadings)) {
      if (!seen.has(key)) report('missing', input.pointAt(input.text.length), { heading });
    }
  },
});


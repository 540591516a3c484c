import { defineRule } from '../rule.js';
import type { TemplateLintInput } from '../template-input.js';

const marker = /^[ \t>]*CONTEXT:[ \t]*WORKER\b/gm;

/** Only the preamble writes the `CONTEXT: WORKER` block; every prompt already starts with it. */
export default defineRule<TemplateLintInput>({
  id: 'preamble-duplicated',
  appliesTo: 'template',
  severity: 'warn',
  summary: 'Only the preamble template writes the `CONTEXT: WORKER` block.',
  messages: {
    duplicated: '{kind} template writes its own `CONTEXT: WORKER` block, expected it only in the preamble (every prompt already starts with it)',
  },
  check(input, report) {
    if (input.kind === undefined || input.kind === 'preamble') return;
    const body = input.text.slice(input.bodyOffset);
    for (const match of body.matchAll(marker)) {
      const lead = match[0].length - match[0].trimStart().replace(/^>[ \t]*/, '').length;
      report('duplicated', input.pointAt(input.bodyOffset + match.index + lead), { kind: input.kind });
    }
  },
});

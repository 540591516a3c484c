import { defineRule } from '../rule.js';
import type { TemplateLintInput } from '../template-input.js';

/**
 * One folder defines each role, lens, preamble and context pack once. Two files with the same
 * name would leave it to file order which one wins; the loader refuses both instead, so using
 * that template fails until one is removed. (A file in a later folder replacing one in an
 * earlier folder is an intended override, not a duplicate.)
 */
export default defineRule<TemplateLintInput>({
  id: 'duplicate-template',
  appliesTo: 'template',
  severity: 'error',
  summary: 'No two files of one templates folder define the same role, lens, preamble or context pack.',
  messages: {
    duplicate: '{what} is also defined by {files} in the same folder, expected one file per {kind}: the loader refuses both',
  },
  check(input, report) {
    if (input.kind === undefined) return;
    const others = input.alsoDefinedBy();
    if (others.length === 0) return;
    const name = input.data['name'];
    const what = input.kind === 'preamble' || input.kind === 'context-pack' ? `the ${input.kind}` : `${input.kind} \`${String(name)}\``;
    const place = input.frontmatterPlace(input.kind === 'preamble' || input.kind === 'context-pack' ? ['kind'] : ['name']);
    report('duplicate', place, { what, files: others.map((file) => `\`${file}\``).join(', '), kind: input.kind });
  },
});

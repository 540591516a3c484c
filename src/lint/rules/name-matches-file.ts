import { basename, extname } from 'node:path';
import { defineRule } from '../rule.js';
import type { TemplateLintInput } from '../template-input.js';

/** The file name (without `.md`) equals the template's `name`. */
export default defineRule<TemplateLintInput>({
  id: 'name-matches-file',
  appliesTo: 'template',
  severity: 'error',
  summary: 'The file name without `.md` equals the `name` in the frontmatter.',
  messages: {
    mismatch: 'name `{name}` does not match the file name, expected `{expected}` (or rename the file to `{name}.md`)',
  },
  check(input, report) {
    const name = input.data['name'];
    if (typeof name !== 'string') return;
    const file = basename(input.file);
    const expected = file.slice(0, file.length - extname(file).length);
    if (name !== expected) report('mismatch', input.frontmatterPlace(['name']), { name, expected });
  },
});

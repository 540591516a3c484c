import { defineRule } from '../../rule.js';
import type { SkillLintInput } from '../skill-input.js';

const extraDoc = /^(?:readme|changelog)(?:\.[^/]*)?$/i;

/**
 * No README or CHANGELOG inside the skill folder: the folder is what the agent loads, and such
 * files address people, cost context when read, and duplicate `SKILL.md`. They belong in the
 * repository around the skill.
 */
export default defineRule<SkillLintInput>({
  id: 'skill-extra-docs',
  appliesTo: 'skill',
  severity: 'warn',
  summary: 'The skill folder holds no README or CHANGELOG.',
  messages: {
    found: '`{path}` is in the skill folder, expected no README or CHANGELOG there (keep them beside the skill folder, not inside it)',
  },
  check(input, report) {
    if (input.file !== '') return;
    for (const path of [...input.files].sort()) {
      const parts = path.split('/');
      if (parts.some((part) => part.startsWith('.'))) continue;
      if (extraDoc.test(parts.at(-1) ?? '')) report('found', { line: 1, column: 1 }, { path });
    }
  },
});

import { defineRule } from '../../rule.js';
import type { SkillLintInput } from '../skill-input.js';

/**
 * No symbolic links in the skill folder: Codex skips a `SKILL.md` that is a link (checked with
 * Codex 0.169) and `clawhub publish` leaves links out, so what users get is not what you see.
 */
export default defineRule<SkillLintInput>({
  id: 'skill-symlinks',
  appliesTo: 'skill',
  severity: 'error',
  summary: 'The skill folder holds no symbolic links.',
  messages: {
    link: '`{path}` is a symbolic link, expected a regular file or folder (Codex skips a linked `SKILL.md`; clawhub does not publish links)',
  },
  check(input, report) {
    if (input.file !== '') return;
    for (const path of [...input.links].sort()) report('link', { line: 1, column: 1 }, { path });
  },
});

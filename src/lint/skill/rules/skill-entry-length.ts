import { defineRule } from '../../rule.js';
import { isEntryLike, type SkillLintInput } from '../skill-input.js';

/** The longest `SKILL.md` the skill authoring guides recommend (Codex's skill-creator, Agent Skills). */
export const maxEntryLines = 500;

/**
 * `SKILL.md` stays short: every line of it is loaded into the agent's context whenever the skill
 * is used, so detail belongs in reference pages the agent reads only when it needs them.
 */
export default defineRule<SkillLintInput>({
  id: 'skill-entry-length',
  appliesTo: 'skill',
  severity: 'warn',
  summary: `\`SKILL.md\` is at most ${maxEntryLines} lines long.`,
  messages: {
    long: '`SKILL.md` is {lines} lines long, expected at most {max}: move detail into pages under `references/` and link them',
  },
  check(input, report) {
    if (!isEntryLike(input.file)) return;
    const lines = input.raw.replace(/\r?\n$/, '').split(/\r?\n/).length;
    if (lines > maxEntryLines) report('long', { line: maxEntryLines + 1, column: 1 }, { lines, max: maxEntryLines });
  },
});

import { defineRule } from '../../rule.js';
import { isEntryLike, skillEntry, type SkillLintInput } from '../skill-input.js';

/**
 * The entry point is a file named exactly `SKILL.md` that starts with a `---` frontmatter block:
 * Codex skips any other spelling, and reads metadata only from a leading block.
 */
export default defineRule<SkillLintInput>({
  id: 'skill-entry',
  appliesTo: 'skill',
  severity: 'error',
  summary: 'The skill has a file named exactly `SKILL.md` starting with `---` frontmatter.',
  messages: {
    case: 'entry point is named `{found}`, expected exactly `SKILL.md` (Codex does not load other spellings)',
    missing: 'no `SKILL.md` in this folder, expected the skill entry point',
    frontmatter: '`SKILL.md` does not start with a `---` line, expected YAML frontmatter (name, description) at the very top',
    unclosed: 'frontmatter is never closed, expected a line `---` after the YAML',
    yaml: 'frontmatter YAML does not parse: {reason}',
    mapping: 'frontmatter must be a YAML mapping of keys to values',
  },
  check(input, report) {
    if (!isEntryLike(input.file)) {
      if (input.file === '' && ![...input.files].some(isEntryLike)) report('missing', { line: 1, column: 1 });
      return;
    }
    if (input.file !== skillEntry) report('case', { line: 1, column: 1 }, { found: input.file });
    const fm = input.doc?.frontmatter;
    // A byte-order mark before `---` is reported by skill-line-endings.
    if (!fm || !input.raw.replace(/^\uFEFF/, '').startsWith('---')) {
      report('frontmatter', { line: 1, column: 1 });
      return;
    }
    if (!fm.closed) report('unclosed', { line: 1, column: 1 });
    else if (input.yamlProblem) {
      const id = input.yamlProblem.message.startsWith('frontmatter must be') ? 'mapping' : 'yaml';
      report(id, input.yamlProblem.place, { reason: input.yamlProblem.message });
    }
  },
});

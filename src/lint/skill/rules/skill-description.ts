import { defineRule } from '../../rule.js';
import { hasReadableEntryFrontmatter, type SkillLintInput } from '../skill-input.js';

/** Codex and the Agent Skills spec cap the description, counted after collapsing whitespace. */
export const maxDescriptionLength = 1024;

/** `description` says what the skill does and when to use it, in 1 to 1024 characters, no `<` or `>`. */
export default defineRule<SkillLintInput>({
  id: 'skill-description',
  appliesTo: 'skill',
  severity: 'error',
  summary: '`description` is 1 to 1024 characters (whitespace collapsed) with no `<` or `>`.',
  messages: {
    missing: 'frontmatter has no `description`, expected what the skill does and when to use it',
    type: '`description` is {found}, expected a string',
    empty: '`description` is empty, expected what the skill does and when to use it',
    long: '`description` is {length} characters long after collapsing whitespace, expected at most {max} (the Agent Skills spec rejects it; Codex cuts it short)',
    angle: '`description` contains `{char}`, expected no angle brackets (Codex\'s quick_validate.py rejects them)',
  },
  check(input, report) {
    if (!hasReadableEntryFrontmatter(input)) return;
    const description = input.data['description'];
    if (description === undefined || description === null) {
      report('missing', input.yamlPlace([]));
      return;
    }
    const place = input.yamlPlace(['description']);
    if (typeof description !== 'string') {
      report('type', place, { found: Array.isArray(description) ? 'a list' : typeof description });
      return;
    }
    const collapsed = description.replace(/\s+/g, ' ').trim();
    if (collapsed === '') report('empty', place);
    if (collapsed.length > maxDescriptionLength) report('long', place, { length: collapsed.length, max: maxDescriptionLength });
    const angle = /[<>]/.exec(description);
    if (angle) report('angle', place, { char: angle[0] });
  },
});

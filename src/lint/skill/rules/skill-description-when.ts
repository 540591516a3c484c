import { descriptionClauses } from '../../description-clauses.js';
import { defineRule } from '../../rule.js';
import { hasReadableEntryFrontmatter, type SkillLintInput } from '../skill-input.js';

/**
 * The description says what the skill does, then when to use it (a "Use when" clause) and when
 * not to. Agents pick a skill by its description alone: without the clauses they use it for the
 * wrong tasks, or miss it for the right ones.
 */
export default defineRule<SkillLintInput>({
  id: 'skill-description-when',
  appliesTo: 'skill',
  severity: 'warn',
  summary: '`description` says what the skill does, when to use it ("Use when ...") and when not to.',
  messages: {
    what: '`description` starts with when to use the skill, expected first a sentence saying what it does',
    useWhen: '`description` has no "Use when ..." clause, expected one saying which tasks the skill is for',
    whenNot: '`description` does not say when not to use the skill, expected a clause such as "Do not use it for ..." or "Not for ..."',
  },
  check(input, report) {
    if (!hasReadableEntryFrontmatter(input)) return;
    const description = input.data['description'];
    if (typeof description !== 'string' || description.trim() === '') return;
    const place = input.yamlPlace(['description']);
    const clauses = descriptionClauses(description);
    if (!clauses.what) report('what', place);
    if (!clauses.useWhen) report('useWhen', place);
    if (!clauses.whenNot) report('whenNot', place);
  },
});

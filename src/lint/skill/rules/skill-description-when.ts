import { defineRule } from '../../rule.js';
import { hasReadableEntryFrontmatter, type SkillLintInput } from '../skill-input.js';

// "Use when", "Use it when", "Use this skill when"; the negative forms are told apart below.
const useWhen = /\buse (?:it |this (?:skill )?)?when\b/gi;
const negated = /(?:\bnot|\bnever|n't)\s+$/i;
// "Do not use it for", "Don't use when", "Not for", "Skip it when", "Avoid it for", ...
const whenNot = /\b(?:(?:do not|don't|never) use\b(?: it| this(?: skill)?)? (?:when|for|if|on|to)\b|not (?:meant |intended |suited )?for\b|(?:skip|avoid) (?:it |this(?: skill)? )?(?:when|for|if)\b)/i;

/** Where the positive "Use when" clause starts, or -1. */
function useWhenAt(text: string): number {
  for (const match of text.matchAll(useWhen)) {
    if (!negated.test(text.slice(Math.max(0, match.index - 8), match.index))) return match.index;
  }
  return -1;
}

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
    const text = description.replace(/\s+/g, ' ').trim();
    const place = input.yamlPlace(['description']);
    const positive = useWhenAt(text);
    const negative = text.search(whenNot);
    const firstClause = Math.min(...[positive, negative].filter((at) => at >= 0), text.length);
    if (text.slice(0, firstClause).split(' ').filter((word) => /\w/.test(word)).length < 3) report('what', place);
    if (positive < 0) report('useWhen', place);
    if (negative < 0) report('whenNot', place);
  },
});

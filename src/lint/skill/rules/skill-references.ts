import { defineRule } from '../../rule.js';
import { isEntryLike, type SkillLintInput } from '../skill-input.js';
import { localLinks } from './skill-links.js';

/**
 * Whether a path is a reference page: Markdown other than the entry point, outside `assets/`
 * (files an agent copies into its output, not reads) and outside hidden folders (tool state such
 * as `.clawhub/`).
 */
export function isReferencePage(path: string): boolean {
  return path.endsWith('.md') && !isEntryLike(path) && !path.startsWith('assets/') && !path.split('/').some((part) => part.startsWith('.'));
}

/**
 * References are one level deep: every reference page sits at most one folder below the skill
 * and is linked from `SKILL.md` itself. An agent reads `SKILL.md`, then follows its links; a page
 * reached only through another page, or not linked at all, is read partially or never.
 */
export default defineRule<SkillLintInput>({
  id: 'skill-references',
  appliesTo: 'skill',
  severity: 'warn',
  summary: 'Reference pages sit at most one folder deep and are each linked from `SKILL.md`.',
  messages: {
    unlinked: '`{path}` is not linked from `SKILL.md`, expected a link to every reference page there (an agent finds pages through `SKILL.md` only)',
    nested: '`{path}` is {depth} folders deep, expected reference pages directly in a folder of the skill such as `references/`',
  },
  check(input, report) {
    if (isReferencePage(input.file)) {
      const depth = input.file.split('/').length - 1;
      if (depth > 1) report('nested', { line: 1, column: 1 }, { path: input.file, depth });
      return;
    }
    if (!isEntryLike(input.file) || !input.doc) return;
    const linked = new Set(localLinks(input).map((link) => link.path));
    for (const path of [...input.files].filter(isReferencePage).sort()) {
      if (!linked.has(path)) report('unlinked', { line: 1, column: 1 }, { path });
    }
  },
});

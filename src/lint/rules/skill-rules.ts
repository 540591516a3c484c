import type { Rule } from '../rule.js';
import skillDescription from './skill-description.js';
import skillEntry from './skill-entry.js';
import skillFrontmatterKeys from './skill-frontmatter-keys.js';
import type { SkillLintInput } from './skill-input.js';
import skillLineEndings from './skill-line-endings.js';
import skillLinks from './skill-links.js';
import skillName from './skill-name.js';
import skillOpenaiYaml from './skill-openai-yaml.js';

/** Every rule for skill folders, in documentation order. */
export const skillRules: readonly Rule<SkillLintInput>[] = [
  skillEntry,
  skillLineEndings,
  skillName,
  skillDescription,
  skillFrontmatterKeys,
  skillOpenaiYaml,
  skillLinks,
];

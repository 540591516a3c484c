import type { Rule } from '../rule.js';
import skillDescription from './rules/skill-description.js';
import skillDescriptionWhen from './rules/skill-description-when.js';
import skillEntry from './rules/skill-entry.js';
import skillEntryLength from './rules/skill-entry-length.js';
import skillExtraDocs from './rules/skill-extra-docs.js';
import skillFrontmatterKeys from './rules/skill-frontmatter-keys.js';
import type { SkillLintInput } from './skill-input.js';
import skillLineEndings from './rules/skill-line-endings.js';
import skillLinks from './rules/skill-links.js';
import skillName from './rules/skill-name.js';
import skillOpenaiYaml from './rules/skill-openai-yaml.js';
import skillPluginAncestor from './rules/skill-plugin-ancestor.js';
import skillReferenceToc from './rules/skill-reference-toc.js';
import skillReferences from './rules/skill-references.js';
import skillSymlinks from './rules/skill-symlinks.js';

/** Every rule for skill folders, in documentation order. */
export const skillRules: readonly Rule<SkillLintInput>[] = [
  skillEntry,
  skillLineEndings,
  skillName,
  skillDescription,
  skillFrontmatterKeys,
  skillOpenaiYaml,
  skillLinks,
  skillDescriptionWhen,
  skillEntryLength,
  skillReferences,
  skillReferenceToc,
  skillExtraDocs,
  skillSymlinks,
  skillPluginAncestor,
];

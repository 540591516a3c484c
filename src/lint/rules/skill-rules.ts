import type { Rule } from '../rule.js';
import skillDescription from './skill-description.js';
import skillDescriptionWhen from './skill-description-when.js';
import skillEntry from './skill-entry.js';
import skillEntryLength from './skill-entry-length.js';
import skillExtraDocs from './skill-extra-docs.js';
import skillFrontmatterKeys from './skill-frontmatter-keys.js';
import type { SkillLintInput } from './skill-input.js';
import skillLineEndings from './skill-line-endings.js';
import skillLinks from './skill-links.js';
import skillName from './skill-name.js';
import skillOpenaiYaml from './skill-openai-yaml.js';
import skillPluginAncestor from './skill-plugin-ancestor.js';
import skillReferenceToc from './skill-reference-toc.js';
import skillReferences from './skill-references.js';
import skillSymlinks from './skill-symlinks.js';

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

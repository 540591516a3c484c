import type { Rule } from '../rule.js';
import type { TemplateLintInput } from '../template-input.js';
import frontmatterSchema from './frontmatter-schema.js';
import frontmatterYaml from './frontmatter-yaml.js';

/** Every rule for template files, in documentation order. */
export const templateRules: readonly Rule<TemplateLintInput>[] = [frontmatterYaml, frontmatterSchema];

export { builtinTemplatesDir, packageRoot } from './builtin.js';
export { frontmatterSchemas, isTemplateKind, namePattern, templateKinds } from './frontmatter-schema.js';
export { builtinTemplates } from './builtin-set.js';
export { listMarkdownFiles, loadTemplates, readTemplateDir } from './load.js';
export type { LoadTemplatesOptions } from './load.js';
export type {
  ContextPackField,
  ContextPackTemplate,
  JsonValue,
  LensRule,
  LensTemplate,
  PreambleTemplate,
  RoleParameter,
  RoleSections,
  RoleTemplate,
  Template,
  TemplateKind,
  TemplateSet,
} from './model.js';
export { builtinPlaceholders, roleSectionHeadings } from './model.js';
export { parseTemplate, templateFromDocument } from './parse-template.js';
export { fillString, placeholderPattern, placeholdersIn, placeholdersInTree } from './placeholders.js';
export { reservedNames } from './reserved-names.js';
export { roleSectionKeys, roleSectionOf, sectionKey, splitSections } from './sections.js';
export type { Section, SplitBody } from './sections.js';
export { TemplateError } from './template-error.js';
export { validateFrontmatter } from './validate-frontmatter.js';
export type { FrontmatterViolation } from './validate-frontmatter.js';

export { builtinTemplatesDir, packageRoot } from './package-root.js';
export { frontmatterSchemas, isTemplateKind, namePattern, templateKinds } from './frontmatter-schema.js';
export { builtinTemplates } from './builtin-set.js';
export { loadTemplates } from './load.js';
export { disableDirective, directiveComments, stripDirectives } from './lint-directives.js';
export type { DirectiveComment } from './lint-directives.js';
export { isTemplateFileName, listTemplateFiles, maxTemplateBytes } from './template-files.js';
export { roleCapabilities, wideningOf } from './widening.js';
export type { RoleCapability } from './widening.js';
export type { LoadTemplatesOptions } from './load.js';
export type {
  ContextPackField,
  ContextPackTemplate,
  JsonValue,
  LoadedTemplates,
  LensRule,
  LensTemplate,
  PreambleTemplate,
  RoleParameter,
  RoleSections,
  RoleTemplate,
  Template,
  TemplateKind,
  TemplateOverride,
  TemplateProblem,
  TemplateSet,
} from './model.js';
export { builtinPlaceholders, roleSectionHeadings, templateKey, unusableReason } from './model.js';
export { parseTemplate, templateFromDocument, templateIdentity } from './parse-template.js';
export { startsWithGuard, workerGuardLine } from './worker-guard.js';
export { fillString, placeholderPattern, placeholdersIn, placeholdersInTree } from './placeholders.js';
export { reservedNames } from './reserved-names.js';
export { roleSectionKeys, roleSectionOf, sectionKey, splitSections } from './sections.js';
export type { Section, SplitBody } from './sections.js';
export { templateFailure } from './template-error.js';
export type { TemplateFailure } from './template-error.js';
export { validateFrontmatter } from './validate-frontmatter.js';
export type { FrontmatterViolation } from './validate-frontmatter.js';

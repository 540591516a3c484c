export { main } from './cli/main.js';
export type { CliIo, Output } from './cli/io.js';
export { parseDocument, parseMarkdown, stringifyMarkdown } from './markdown/index.js';
export type { Frontmatter, ParsedDocument, Point } from './markdown/index.js';
export { errorCatalog, isUserError, UserError } from './errors/index.js';
export type { ErrorCode } from './errors/index.js';
export { readContextPackFile, renderPrompt } from './prompt/index.js';
export type { RenderOptions, RenderResult } from './prompt/index.js';
export { builtinTemplates, loadTemplates, parseTemplate } from './templates/index.js';
export type {
  ContextPackField,
  ContextPackTemplate,
  LensRule,
  LensTemplate,
  LoadTemplatesOptions,
  PreambleTemplate,
  RoleParameter,
  RoleTemplate,
  Template,
  TemplateKind,
  TemplateSet,
} from './templates/index.js';

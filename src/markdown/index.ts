export { checkDataNesting, checkMarkdownNesting, guardStack, maxNesting, nestingFailure } from './limits.js';
export { isRecord, parseDocument, parseFrontmatter, parseMarkdown } from './parse.js';
export type { Frontmatter, FrontmatterProblem, ParsedDocument, Point } from './parse.js';
export { markdownStyle, stringifyMarkdown } from './stringify.js';
export { stringifyDocument } from './write-document.js';

export { eachNode } from './each-node.js';
export { checkDataNesting, checkMarkdownNesting, guardStack, maxNesting, nestingFailure } from './limits.js';
export { isRecord, parseDocument, parseDocumentBody, parseFrontmatter, parseMarkdown, readDocumentHead } from './parse.js';
export type { DocumentHead, Frontmatter, FrontmatterProblem, ParsedDocument, Point } from './parse.js';
export { markdownStyle, stringifyMarkdown } from './stringify.js';
export { stringifyDocument } from './write-document.js';

import type { ParsedDocument } from '../markdown/index.js';
import { didYouMean } from '../text/closest.js';
import { directiveComments } from '../templates/lint-directives.js';
import type { LintDirective } from './lint-directive.js';
import { nodeIndex } from './scan.js';

export { disableDirective } from '../templates/lint-directives.js';
export type { LintDirective } from './lint-directive.js';


/** The one rule an inline directive cannot switch off: it guards the directives themselves. */
export const undisableableIds: readonly string[] = ['hidden-content'];

/**
 * The disable directives of a document: real HTML comment nodes of the body only. The same text
 * in a frontmatter value, inline code or a code block is content and disables nothing.
 */
export function lintDirectives(doc: ParsedDocument, knownIds: readonly string[]): LintDirective[] {
  const out: LintDirective[] = [];
  for (const node of nodeIndex(doc.tree).html) {
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    if (start === undefined || end === undefined) continue;
    // Read the source, not the node's value: inside a list or a quote the value loses the
    // container's prefixes, and offsets must point into the file.
    for (const comment of directiveComments(doc.text.slice(start, end))) {
      const ids = comment.words.filter(({ word }) => knownIds.includes(word)).map(({ word }) => word);
      const unknown = comment.words.filter(({ word }) => !knownIds.includes(word));
      const first = unknown[0];
      const last = unknown.at(-1);
      let stray: LintDirective['stray'];
      if (first && last) {
        const source = doc.text.slice(start + first.index, start + last.index + last.word.length);
        stray = { text: source, offset: start + first.index, hint: unknown.length === 1 ? didYouMean(first.word, knownIds) : '' };
      }
      out.push({ offset: start + comment.index, ids: comment.words.length === 0 ? ['*'] : ids, stray });
    }
  }
  return out;
}

/**
 * Rule ids switched off for a file by its directives (a directive without ids: all of
 * `knownIds`). `hidden-content` stays on: a rendered view hides the directive as well as what
 * it would let through.
 */
export function disabledIds(directives: readonly LintDirective[], knownIds: readonly string[]): Set<string> {
  const ids = new Set<string>();
  for (const directive of directives) {
    for (const id of directive.ids[0] === '*' ? knownIds : directive.ids) if (!undisableableIds.includes(id)) ids.add(id);
  }
  return ids;
}

import { codeRanges, placeInScalar, within } from '../scan.js';
import { defineRule, type Place } from '../rule.js';
import type { TemplateLintInput } from '../template-input.js';

const validInner = /^\s*[a-z0-9]+(?:-[a-z0-9]+)*\s*$/;
const braces = /\{\{+|\}\}+/g;

interface Problem {
  messageId: 'unclosed' | 'unopened' | 'malformed';
  index: number;
  found: string;
}

/**
 * Find broken placeholders in a piece of text. An opening `{{` must be closed by `}}` on the
 * same line, and what is between must be a lowercase name. In code, lone `}}` and `{{` not
 * followed by a name are data (JSON, templates of other tools), not placeholders.
 */
function problemsIn(text: string, inCode: (index: number) => boolean): Problem[] {
  const problems: Problem[] = [];
  let open: { index: number; run: string } | undefined;
  for (const match of text.matchAll(braces)) {
    const run = match[0];
    const index = match.index;
    if (run.startsWith('{')) {
      if (inCode(index) && !/^\{\{\s*[A-Za-z_]/.test(text.slice(index, index + 40))) continue;
      if (open) problems.push({ messageId: 'unclosed', index: open.index, found: open.run });
      open = { index, run };
      continue;
    }
    if (!open) {
      if (!inCode(index)) problems.push({ messageId: 'unopened', index, found: run });
      continue;
    }
    const inner = text.slice(open.index + open.run.length, index);
    if (inner.includes('\n')) {
      problems.push({ messageId: 'unclosed', index: open.index, found: open.run });
    } else if (open.run.length !== 2 || run.length !== 2 || !validInner.test(inner)) {
      problems.push({ messageId: 'malformed', index: open.index, found: text.slice(open.index, index + run.length) });
    }
    open = undefined;
  }
  if (open) problems.push({ messageId: 'unclosed', index: open.index, found: open.run });
  return problems;
}

/** Placeholders are `{{name}}`: two braces each side, a lowercase hyphenated name between. */
export default defineRule<TemplateLintInput>({
  id: 'placeholder-syntax',
  appliesTo: 'template',
  severity: 'error',
  summary: 'Every `{{` is closed on the same line and holds a lowercase placeholder name.',
  messages: {
    unclosed: '`{found}` is never closed, expected `{{name}}` with `}}` on the same line',
    unopened: '`{found}` closes no placeholder, expected it after `{{name`',
    malformed: 'malformed placeholder `{found}`, expected `{{name}}` with a lowercase hyphenated name such as `{{artefact}}`',
  },
  check(input, report) {
    const ranges = codeRanges(input.doc.tree);
    const body = input.text.slice(input.bodyOffset);
    for (const problem of problemsIn(body, (index) => within(input.bodyOffset + index, ranges))) {
      report(problem.messageId, input.pointAt(input.bodyOffset + problem.index), { found: problem.found });
    }
    const raw = input.data['scope'];
    const scope = typeof raw === 'string' && /[{}]/.test(raw) ? input.frontmatterScalar(['scope']) : undefined;
    if (scope) {
      for (const problem of problemsIn(scope.source, () => false)) {
        const place: Place = placeInScalar(scope.place, scope.source, problem.index);
        report(problem.messageId, place, { found: problem.found });
      }
    }
  },
});

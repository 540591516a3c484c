import { didYouMean, quoteList } from '../../text/closest.js';
import { builtinPlaceholders } from '../../templates/model.js';
import { defineRule } from '../rule.js';
import { placeholderUses } from '../scan.js';
import type { TemplateLintInput } from '../template-input.js';

/** Declared parameter names of a role's frontmatter (entries without a string name skipped). */
export function declaredParameters(data: Record<string, unknown>): Array<{ name: string; index: number }> {
  const parameters = data['parameters'];
  if (!Array.isArray(parameters)) return [];
  return parameters.flatMap((parameter: unknown, index) => {
    const name = typeof parameter === 'object' && parameter !== null ? (parameter as Record<string, unknown>)['name'] : undefined;
    return typeof name === 'string' ? [{ name, index }] : [];
  });
}

/** A placeholder must name a declared parameter or a built-in; others reach the worker raw. */
export default defineRule<TemplateLintInput>({
  id: 'undeclared-placeholder',
  appliesTo: 'template',
  severity: 'error',
  summary: 'Every `{{placeholder}}` of a role is a declared parameter or a built-in; other kinds have none.',
  messages: {
    undeclared: '`{{{name}}}` is not declared, expected one of {expected}{hint}',
    notFilled: '`{{{name}}}` in a {kind} template is never filled and would reach the worker as is, expected plain text',
  },
  check(input, report) {
    if (input.kind === undefined) return;
    const uses = placeholderUses(input);
    if (input.kind !== 'role') {
      for (const use of uses) report('notFilled', use.place, { name: use.name, kind: input.kind });
      return;
    }
    const declared = [...declaredParameters(input.data).map((p) => p.name), ...builtinPlaceholders];
    for (const use of uses) {
      if (declared.includes(use.name)) continue;
      report('undeclared', use.place, { name: use.name, expected: quoteList(declared), hint: didYouMean(use.name, declared) });
    }
  },
});

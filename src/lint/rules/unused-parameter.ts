import { defineRule } from '../rule.js';
import { placeholderUses } from '../scan.js';
import type { TemplateLintInput } from '../template-input.js';
import { declaredParameters } from './undeclared-placeholder.js';

/** A declared parameter that no placeholder uses is a flag whose value goes nowhere. */
export default defineRule<TemplateLintInput>({
  id: 'unused-parameter',
  appliesTo: 'template',
  severity: 'warn',
  summary: 'Every declared parameter of a role is used as a `{{placeholder}}` somewhere.',
  messages: {
    unused: 'parameter `{name}` is never used, expected `{{{name}}}` in a section or in `scope` (or drop the parameter)',
  },
  check(input, report) {
    if (input.kind !== 'role') return;
    const parameters = declaredParameters(input.data);
    if (parameters.length === 0) return;
    const used = new Set(placeholderUses(input).map((use) => use.name));
    for (const parameter of parameters) {
      if (!used.has(parameter.name)) report('unused', input.frontmatterPlace(['parameters', parameter.index, 'name']), { name: parameter.name });
    }
  },
});

import { builtinTemplates } from '../../templates/builtin-set.js';
import { wideningOf } from '../../templates/widening.js';
import { defineRule } from '../rule.js';
import type { TemplateLintInput } from '../template-input.js';

/**
 * A template that replaces a built-in role may change its words, not widen what it may do: a
 * project file that turns the read-only `reviewer` into an editing worker changes the sandbox
 * every review runs in, and whoever asks for a review does not expect that.
 */
export default defineRule<TemplateLintInput>({
  id: 'override-widens-role',
  appliesTo: 'template',
  severity: 'error',
  summary: 'A role that replaces a built-in does not let it do more (`edits: true` over a read-only built-in, live web search where it had none).',
  messages: {
    widens: 'role `{name}` replaces the built-in `{name}` and lets it {what}, which the built-in may not; expected an override to do no more than the built-in (give the widened role a name of its own)',
  },
  check(input, report) {
    const name = input.data['name'];
    if (input.kind !== 'role' || typeof name !== 'string') return;
    const builtin = builtinTemplates().roles[name];
    if (!builtin) return;
    for (const capability of wideningOf(builtin, { frontmatter: input.data })) {
      report('widens', input.frontmatterPlace([capability.key]), { name, what: capability.what });
    }
  },
});

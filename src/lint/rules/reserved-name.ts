import { quoteList } from '../../prompt/closest.js';
import { reservedNames } from '../../templates/reserved-names.js';
import { defineRule } from '../rule.js';
import type { TemplateLintInput } from '../template-input.js';

/** A role may not take the name of an `orch-prompt` subcommand: it could never be called. */
export default defineRule<TemplateLintInput>({
  id: 'reserved-name',
  appliesTo: 'template',
  severity: 'error',
  summary: 'A role is not named like an `orch-prompt` subcommand.',
  messages: {
    reserved: 'role name `{name}` is an `orch-prompt` subcommand, so `orch-prompt {name}` would never print this role; expected a name other than {reserved}',
  },
  check(input, report) {
    const name = input.data['name'];
    if (input.kind !== 'role' || typeof name !== 'string') return;
    if ((reservedNames as readonly string[]).includes(name)) {
      report('reserved', input.frontmatterPlace(['name']), { name, reserved: quoteList(reservedNames) });
    }
  },
});

import { quoteList } from '../../text/closest.js';
import { reservedNames, reservedParameterNames } from '../../templates/reserved-names.js';
import { defineRule } from '../rule.js';
import type { TemplateLintInput } from '../template-input.js';

/**
 * A role may not take the name of an `orch-prompt` subcommand (it could never be called), and
 * a parameter may not take the name of a flag every role prompt already has (the role could
 * never be rendered).
 */
export default defineRule<TemplateLintInput>({
  id: 'reserved-name',
  appliesTo: 'template',
  severity: 'error',
  summary: 'A role is not named like an `orch-prompt` subcommand, and its parameters are not named like shared flags.',
  messages: {
    reserved: 'role name `{name}` is an `orch-prompt` subcommand, so `orch-prompt {name}` would never print this role; expected a name other than {reserved}',
    parameter: 'parameter `{name}` collides with the flag --{name} that every role prompt has; expected a name other than {reserved}',
  },
  check(input, report) {
    const name = input.data['name'];
    if (input.kind !== 'role' || typeof name !== 'string') return;
    if ((reservedNames as readonly string[]).includes(name)) {
      report('reserved', input.frontmatterPlace(['name']), { name, reserved: quoteList(reservedNames) });
    }
    const parameters = input.data['parameters'];
    if (!Array.isArray(parameters)) return;
    // The context pack in effect (a project's replaces the built-in), as the CLI builds the flags.
    const taken = [...reservedParameterNames, ...input.contextPack.fields.map((field) => field.flag)];
    parameters.forEach((parameter: unknown, index) => {
      const parameterName = (parameter as { name?: unknown } | null)?.name;
      if (typeof parameterName === 'string' && taken.includes(parameterName)) {
        report('parameter', input.frontmatterPlace(['parameters', index, 'name']), { name: parameterName, reserved: quoteList(taken) });
      }
    });
  },
});

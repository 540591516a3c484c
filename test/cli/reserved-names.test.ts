import { expect, it } from 'vitest';
import { commands } from '../../src/cli/commands/index.js';
import { promptCommand } from '../../src/cli/commands/prompt.js';
import { builtinTemplates } from '../../src/templates/builtin-set.js';
import { reservedNames, reservedParameterNames } from '../../src/templates/reserved-names.js';

it('every subcommand is a reserved role name: a role named like one could never be printed', () => {
  expect([...reservedNames]).toEqual(expect.arrayContaining([...Object.keys(commands), 'help']));
});

it('every flag a role prompt has besides its parameters and context fields is a reserved parameter name', () => {
  const templates = builtinTemplates();
  const role = { ...(templates.roles['scout'] as NonNullable<(typeof templates.roles)[string]>), parameters: [] };
  const fields = new Set(templates.contextPack.fields.map((field) => field.flag));
  const shared = promptCommand(role, templates).flags.map((flag) => flag.name).filter((name) => !fields.has(name));
  expect([...shared, 'help'].sort()).toEqual([...reservedParameterNames].sort());
});

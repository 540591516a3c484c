import { expect, it } from 'vitest';
import { commands } from '../../src/cli/commands/index.js';
import { reservedNames } from '../../src/templates/reserved-names.js';

it('every subcommand is a reserved role name: a role named like one could never be printed', () => {
  expect([...reservedNames]).toEqual(expect.arrayContaining([...Object.keys(commands), 'help']));
});

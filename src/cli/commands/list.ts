import { overrideView, templateListing } from '../../templates/listing.js';
import { terminalSafe } from '../../text/terminal.js';
import type { Command } from '../command.js';
import { formatFlag, stringFlag } from '../flags.js';
import { loadCliTemplates, templateSourceFlags, templateSourceOf } from '../templates-source.js';
import { UserError } from '../../errors/index.js';
import { wrap } from '../help.js';
import type { CliIo } from '../io.js';

/** `orch-prompt list [roles|lenses]`. */
export const command: Command = {
  name: 'list',
  summary: 'List the roles and lenses (built-in and project templates).',
  usage: 'list [roles|lenses] [options]',
  description:
    'Lists every role with its parameters and lens rule, and every lens with its aliases. A project template that replaces a built-in is named in a note on stderr; --format json lists them under `overrides` instead.',
  maxPositionals: 1,
  flags: [
    formatFlag('Output format.'),
    ...templateSourceFlags,
  ],
  examples: ['list', 'list lenses --format json'],
  async run(args, io) {
    const what = args.positionals[0] ?? 'all';
    if (!['all', 'roles', 'lenses'].includes(what)) throw new UserError('usage', `list: expected \`roles\` or \`lenses\`, got \`${what}\``);
    const json = stringFlag(args.flags, 'format') === 'json';
    const templates = await loadCliTemplates(templateSourceOf(args.flags), io, { notices: !json });
    const data = templateListing(templates);
    if (json) {
      const overrides = templates.overrides.map(overrideView);
      const view = what === 'roles' ? { roles: data.roles, overrides } : what === 'lenses' ? { lenses: data.lenses, overrides } : { ...data, overrides };
      io.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
      return 0;
    }
    const blocks: string[] = [];
    if (what !== 'lenses') blocks.push(table('Roles', data.roles.map((r) => [r.name, r.description]), io));
    if (what !== 'roles') {
      const rows = data.lenses.map((l): [string, string] => [l.name, `${l.description}${l.aliases.length > 0 ? ` Aliases: ${l.aliases.join(', ')}.` : ''}`]);
      blocks.push(table('Lenses', rows, io));
    }
    io.stdout.write(terminalSafe(blocks.join('\n')));
    return 0;
  },
};

function table(title: string, rows: Array<[string, string]>, io: CliIo): string {
  const width = Math.max(...rows.map(([name]) => name.length)) + 4;
  const columns = Math.max(60, Math.min(io.stdout.columns ?? 80, 120));
  const lines = rows.flatMap(([name, text]) =>
    wrap(text, columns - width).map((line, i) => (i === 0 ? `  ${name.padEnd(width - 2)}` : ' '.repeat(width)) + line),
  );
  return `${title}:\n${lines.join('\n')}\n`;
}

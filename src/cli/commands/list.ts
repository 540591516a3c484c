import type { TemplateSet } from '../../templates/model.js';
import type { Command } from '../command.js';
import { listFlag, stringFlag } from '../flags.js';
import { loadCliTemplates } from '../templates-source.js';
import { UsageError } from '../errors.js';

/** `orch-prompt list [roles|lenses]`. */
export const command: Command = {
  name: 'list',
  summary: 'List the roles and lenses (built-in and project templates).',
  usage: 'list [roles|lenses] [options]',
  description: 'Lists every role with its parameters and lens rule, and every lens with its aliases.',
  maxPositionals: 1,
  flags: [
    { name: 'format', type: 'string', value: 'FORMAT', choices: ['text', 'json'], default: 'text', description: 'Output format.' },
    { name: 'templates', type: 'string', multiple: true, value: 'DIR', description: 'Extra templates folder (after .orch/templates/).' },
  ],
  examples: ['list', 'list lenses --format json'],
  async run(args, io) {
    const what = args.positionals[0] ?? 'all';
    if (!['all', 'roles', 'lenses'].includes(what)) throw new UsageError(`list: expected \`roles\` or \`lenses\`, got \`${what}\``);
    const templates = await loadCliTemplates(listFlag(args.flags, 'templates'), io);
    const data = listing(templates);
    if (stringFlag(args.flags, 'format') === 'json') {
      const view = what === 'roles' ? { roles: data.roles } : what === 'lenses' ? { lenses: data.lenses } : data;
      io.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
      return 0;
    }
    const blocks: string[] = [];
    if (what !== 'lenses') blocks.push(table('Roles', data.roles.map((r) => [r.name, r.description])));
    if (what !== 'roles') blocks.push(table('Lenses', data.lenses.map((l) => [l.aliases.length > 0 ? `${l.name} (${l.aliases.join(', ')})` : l.name, l.description])));
    io.stdout.write(`${blocks.join('\n')}`);
    return 0;
  },
};

function listing(templates: TemplateSet) {
  const roles = Object.values(templates.roles)
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((role) => ({
      name: role.name,
      description: role.description,
      scope: role.scope ?? null,
      edits: role.edits,
      lenses: role.lenses,
      parameters: role.parameters,
      outputSchema: role.outputSchema !== undefined,
      source: role.source,
    }));
  const lenses = Object.values(templates.lenses)
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((lens) => ({ name: lens.name, title: lens.title, aliases: lens.aliases, description: lens.description, source: lens.source }));
  return { roles, lenses };
}

function table(title: string, rows: Array<[string, string]>): string {
  const width = Math.max(...rows.map(([name]) => name.length)) + 2;
  return `${title}:\n${rows.map(([name, text]) => `  ${name.padEnd(width)}${text}`).join('\n')}\n`;
}

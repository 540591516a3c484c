import { UserError } from '../errors/index.js';
import { findRole } from '../prompt/render.js';
import { builtinTemplates } from '../templates/builtin-set.js';
import { terminalSafe } from '../text/terminal.js';
import type { Command } from './command.js';
import { commands } from './commands/index.js';
import { promptCommand } from './commands/prompt.js';
import { asksForJson, formatFlag, parseFlags } from './flags.js';
import { formatHelp, program, wrap } from './help.js';
import type { CliIo } from './io.js';
import { reportError, type ReportErrorOptions } from './report-error.js';
import { flushTemplateWarnings, loadCliTemplates, scanTemplatesFlag } from './templates-source.js';
import { version } from './version.js';

/**
 * Run `orch-prompt` with `argv` (without node and the script). Returns the exit code:
 * 0 success, 1 failure, 2 usage error, 130 interrupted. Never calls `process.exit`.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const failure: ReportErrorOptions = {};
  try {
    const code = await dispatch(argv, io, failure);
    flushTemplateWarnings(io);
    return code;
  } catch (error) {
    flushTemplateWarnings(io, error);
    return reportError(error, io, failure);
  }
}

/** Runs what `argv` asks for; fills `failure` with what the error report needs to know. */
async function dispatch(argv: readonly string[], io: CliIo, failure: ReportErrorOptions): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    if (first === 'help' && rest[0] !== undefined && !rest[0].startsWith('-')) return dispatch([rest[0], '--help', ...rest.slice(1)], io, failure);
    io.stdout.write(await topLevelHelp(rest, io));
    return 0;
  }
  if (first === '--version' || first === '-v') {
    io.stdout.write(`${version()}\n`);
    return 0;
  }
  const entry = commands[first];
  if (entry) {
    const command = await entry.load();
    failure.command = rest[0] !== undefined && command.verbs?.includes(rest[0]) ? `${first} ${rest[0]}` : first;
    failure.json = asksForJson(command.flags, rest);
    return runCommand(command, rest, io);
  }
  if (first.startsWith('-')) throw new UserError('usage', `unknown flag \`${first}\`; expected a role or a command first (see \`${program} --help\`)`);
  // `--format json` lists overrides in its output, so it needs no notice on stderr.
  const json = asksForJson([formatFlag('')], rest);
  failure.json = json;
  const templates = await loadCliTemplates(scanTemplatesFlag(rest), io, { notices: !json });
  const role = findRole(templates, first, { commands: Object.keys(commands) });
  return runCommand(promptCommand(role, templates), rest, io);
}

async function runCommand(command: Command, argv: readonly string[], io: CliIo): Promise<number> {
  if (command.prepare) command = await command.prepare(argv, io);
  // Under a verb (`runs resume`), a mistake is named with both words.
  const verb = argv[0] !== undefined && command.verbs?.includes(argv[0]) ? ` ${argv[0]}` : '';
  const args = parseFlags(argv, command.flags, { command: `${command.name}${verb}`, maxPositionals: command.maxPositionals ?? 0 });
  if (args.flags['help'] === true) {
    io.stdout.write(formatHelp(command));
    return 0;
  }
  return command.run(args, io);
}

async function topLevelHelp(argv: readonly string[], io: CliIo): Promise<string> {
  let roles: Array<[string, string]> = [];
  try {
    const templates = await loadCliTemplates(scanTemplatesFlag(argv), io);
    roles = Object.values(templates.roles)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((role) => [role.name, terminalSafe(role.description, { singleLine: true })]);
  } catch {
    // A bad --templates folder must not hide the help; the error shows when a role is used.
    roles = Object.values(builtinTemplates().roles).map((role) => [role.name, role.description]);
  }
  const rows = (items: Array<[string, string]>): string[] => {
    const width = Math.max(...items.map(([name]) => name.length)) + 4;
    return items.flatMap(([name, text]) => wrap(text, 80 - width).map((line, i) => (i === 0 ? `  ${name.padEnd(width - 2)}` : ' '.repeat(width)) + line));
  };
  return [
    `Usage: ${program} <role> [options]      print a validated worker prompt`,
    `       ${program} <command> [options]`,
    '',
    'Roles:',
    ...rows(roles),
    '',
    'Commands:',
    ...rows(Object.entries(commands).map(([name, entry]) => [name, entry.summary])),
    '',
    'Options:',
    '  -h, --help     Show help (also: orch-prompt <role|command> --help).',
    '  -v, --version  Print the version.',
    '',
    `Example: ${program} reviewer --artefact src/ --lens risks`,
    '',
  ].join('\n');
}

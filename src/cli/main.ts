import { UserError } from '../errors/index.js';
import { FileWriteError } from '../fs/write-output.js';
import { NestingError } from '../markdown/limits.js';
import { PromptError } from '../prompt/prompt-error.js';
import { didYouMean } from '../text/closest.js';
import { builtinTemplates } from '../templates/builtin-set.js';
import { unusableReason } from '../templates/model.js';
import { TemplateError } from '../templates/template-error.js';
import { terminalSafe } from '../text/terminal.js';
import type { Command } from './command.js';
import { commands } from './commands/index.js';
import { promptCommand } from './commands/prompt.js';
import { CliError, UsageError } from './errors.js';
import { parseFlags } from './flags.js';
import { formatHelp, program, wrap } from './help.js';
import type { CliIo } from './io.js';
import { flushTemplateWarnings, loadCliTemplates, scanTemplatesFlag } from './templates-source.js';
import { version } from './version.js';

/**
 * Run `orch-prompt` with `argv` (without node and the script). Returns the exit code:
 * 0 success, 1 failure, 2 usage error, 130 interrupted. Never calls `process.exit`.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const code = await dispatch(argv, io);
    flushTemplateWarnings(io);
    return code;
  } catch (error) {
    flushTemplateWarnings(io, error);
    return report(error, io);
  }
}

async function dispatch(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    if (first === 'help' && rest[0] !== undefined && !rest[0].startsWith('-')) return dispatch([rest[0], '--help', ...rest.slice(1)], io);
    io.stdout.write(await topLevelHelp(rest, io));
    return 0;
  }
  if (first === '--version' || first === '-v') {
    io.stdout.write(`${version()}\n`);
    return 0;
  }
  const entry = commands[first];
  if (entry) return runCommand(await entry.load(), rest, io);
  if (first.startsWith('-')) throw new UsageError(`unknown flag \`${first}\`; expected a role or a command first (see \`${program} --help\`)`);
  // `--format json` lists overrides in its output, so it needs no notice on stderr.
  const json = rest.some((arg, i) => arg === '--format=json' || (arg === '--format' && rest[i + 1] === 'json'));
  const templates = await loadCliTemplates(scanTemplatesFlag(rest), io, { notices: !json });
  const role = templates.roles[first];
  if (!role) {
    const unusable = unusableReason(templates, 'role', first);
    if (unusable !== undefined) throw new PromptError('template-unusable', unusable);
    const names = [...Object.keys(templates.roles), ...Object.keys(commands)].sort();
    throw new UsageError(`unknown role or command \`${first}\`, expected one of ${names.map((n) => `\`${n}\``).join(', ')}${didYouMean(first, names)}`);
  }
  return runCommand(promptCommand(role, templates), rest, io);
}

async function runCommand(command: Command, argv: readonly string[], io: CliIo): Promise<number> {
  if (command.prepare) command = await command.prepare(argv, io);
  const args = parseFlags(argv, command.flags, { command: command.name, maxPositionals: command.maxPositionals ?? 0 });
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

/**
 * One line on stderr for what ended the command. Messages quote file names, template text and
 * values, so they are shown terminal-safe: a control character prints as `\x1b`, never acts.
 */
function report(error: unknown, io: CliIo): number {
  const say = (message: string): void => void io.stderr.write(`${program}: ${terminalSafe(message, { singleLine: true })}\n`);
  if (error instanceof UserError) {
    say(error.message);
    return error.exitCode;
  }
  if (error instanceof UsageError || error instanceof PromptError || error instanceof TemplateError) {
    say(error.message);
    return 2;
  }
  if (error instanceof NestingError) {
    // Only where no file name was at hand (a skill source); every reader of files names them.
    say(error.message);
    return 1;
  }
  if (error instanceof CliError) {
    say(error.message);
    return error.exitCode;
  }
  if (error instanceof FileWriteError) {
    say(error.message);
    return 1;
  }
  const system = systemErrorMessage(error);
  if (system !== undefined) {
    say(system);
    return 1;
  }
  const message = error instanceof Error ? error.message : String(error);
  say(`internal error: ${message.split('\n')[0]}`);
  if (io.env['ORCH_DEBUG'] && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  return 1;
}

const systemReasons: Record<string, string> = {
  EISDIR: 'it is a folder',
  ENOTDIR: 'part of the path is a file, not a folder',
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on the device',
  EROFS: 'read-only file system',
  EEXIST: 'it already exists',
};

/** A file-system failure (EISDIR, EACCES, ...) in one line naming the path, not a bug report. */
function systemErrorMessage(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, path, syscall } = error as NodeJS.ErrnoException;
  if (code === undefined || path === undefined || !(code in systemReasons)) return undefined;
  const verb = syscall === 'write' || syscall === 'open' || syscall === 'rename' || syscall === 'mkdir' ? 'write' : 'read';
  return `cannot ${verb} \`${path}\`: ${systemReasons[code]}`;
}

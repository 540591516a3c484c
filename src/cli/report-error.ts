import { describeError, isUserError } from '../errors/index.js';
import { terminalSafe } from '../text/terminal.js';
import { program } from './help.js';
import type { CliIo } from './io.js';

/** What {@link reportError} knows about the command that failed. */
export interface ReportErrorOptions {
  /**
   * The subcommand that was running (`run`, `lint`, ...), if any: its name prefixes the message
   * (`orch-prompt: run: ...`) unless the message already starts with it. Roles pass nothing.
   */
  command?: string;
  /** The command was asked for `--format json`: the error is printed as JSON instead. */
  json?: boolean;
}

/**
 * The one place a failure becomes output; returns the exit status. For people: one line on
 * stderr, `orch-prompt: [command: ]message`, shown terminal-safe (messages quote file names,
 * template text and values: a control character prints as `\x1b`, never acts). With
 * `--format json`: `{"error": {"code", "message", ...data}}` on stderr, so stdout only ever
 * holds the command's result. A {@link UserError} exits with its catalog status; a file-system
 * error naming a path (EACCES, ENOSPC, ...) is one line and exit 1; anything else is a bug:
 * `internal error: ...` (the stack with `ORCH_DEBUG=1`), exit 1.
 */
export function reportError(error: unknown, io: CliIo, options: ReportErrorOptions = {}): number {
  const { code, message, data, exit } = describeError(error);
  if (options.json === true) {
    io.stderr.write(`${JSON.stringify({ error: { ...data, code, message } })}\n`);
  } else {
    const prefix = options.command !== undefined && isUserError(error) && !startsWithCommand(message, options.command) ? `${options.command}: ` : '';
    io.stderr.write(`${program}: ${terminalSafe(prefix + message, { singleLine: true })}\n`);
  }
  if (code === 'internal' && io.env['ORCH_DEBUG'] && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  return exit;
}

/** A warning for people: one terminal-safe line on stderr, `orch-prompt: warning: message`. */
export function reportWarning(io: Pick<CliIo, 'stderr'>, message: string): void {
  io.stderr.write(`${program}: warning: ${terminalSafe(message, { singleLine: true })}\n`);
}

function startsWithCommand(message: string, command: string): boolean {
  return message.startsWith(`${command}:`) || message.startsWith(`${command} `);
}

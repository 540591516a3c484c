import type { FlagSpec, ParsedArgs } from './flags.js';
import type { CliIo } from './io.js';

/** A subcommand: its flag table drives parsing and `--help`. */
export interface Command {
  name: string;
  /** One line, shown in `orch-prompt --help`. */
  summary: string;
  /** Usage line without the program name: `lint [PATH...] [options]`. */
  usage: string;
  /** A few sentences shown under the usage line. */
  description?: string;
  flags: readonly FlagSpec[];
  /** How many positionals are accepted (default 0). */
  maxPositionals?: number;
  /**
   * Verbs taken as the first positional (`runs show`): a failure under one is prefixed with both
   * words (`orch-prompt: runs show: ...`).
   */
  verbs?: readonly string[];
  /** Example invocations, without the program name. */
  examples?: readonly string[];
  /**
   * Specialise the command from its raw arguments before they are parsed, for a command whose
   * flags depend on an argument (`run <role>` takes that role's flags).
   */
  prepare?(argv: readonly string[], io: CliIo): Promise<Command>;
  /** Run the command; returns the exit code (never calls `process.exit`). */
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}

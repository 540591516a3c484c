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
  /** Example invocations, without the program name. */
  examples?: readonly string[];
  /** Run the command; returns the exit code (never calls `process.exit`). */
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}

export type { Command } from './command.js';
export { listFlag, parseFlags, stringFlag } from './flags.js';
export type { FlagSpec, FlagValues, ParsedArgs } from './flags.js';
export type { CliIo, Output } from './io.js';
export { main } from './main.js';

import { parseArgs } from 'node:util';
import { didYouMean } from '../text/closest.js';
import { UserError } from '../errors/index.js';

/** One flag: the same table drives the parser and `--help`. */
export interface FlagSpec {
  /** Long name without dashes. */
  name: string;
  /** One-letter alias. */
  short?: string;
  type: 'string' | 'boolean';
  /** Repeatable; the value is a list. With `list`, comma-separated values are split too. */
  multiple?: boolean;
  list?: boolean;
  /** Placeholder shown in help (`FILE`, `N`). */
  value?: string;
  description: string;
  /** Allowed values. */
  choices?: readonly string[];
  /** Shown in help; applied by the parser. */
  default?: string | boolean;
  /** Whole number (validated, still returned as a string). */
  integer?: { min: number; max?: number };
}

/** Flag values by flag name. */
export type FlagValues = Record<string, string | boolean | string[] | undefined>;

/** Parsed command line. */
export interface ParsedArgs {
  /** Every flag's value: the one given, else its default. */
  flags: FlagValues;
  positionals: string[];
  /** The flags given on the command line (long names), as opposed to those at their default. */
  given: ReadonlySet<string>;
}

/** Options of {@link parseFlags}. */
export interface ParseFlagsOptions {
  /** How many positionals are allowed (default 0). */
  maxPositionals?: number;
  /** Used in messages: `orch-prompt lint`. */
  command: string;
}

/** The flag every command has. */
export const helpFlag: FlagSpec = { name: 'help', short: 'h', type: 'boolean', description: 'Show this help and exit.' };

/**
 * The `--format` flag, defined once: `choices` (default `text` and `json`), default `text`, and
 * what the formats print for this command.
 */
export function formatFlag(description: string, choices: readonly string[] = ['text', 'json']): FlagSpec {
  return { name: 'format', type: 'string', value: 'FORMAT', choices, default: 'text', description };
}

/**
 * Whether `argv` asks a command with these flags for JSON output (`--format json`, or a `--json`
 * flag where the command has one). Read from the raw arguments, so that an error found while
 * parsing them is reported as JSON too.
 */
export function asksForJson(specs: readonly FlagSpec[], argv: readonly string[]): boolean {
  const has = (name: string): boolean => specs.some((spec) => spec.name === name);
  // The last --format wins, as it does when the flags are parsed; nothing after `--` is a flag.
  let json = false;
  for (let i = 0; i < argv.length && argv[i] !== '--'; i++) {
    const arg = argv[i] as string;
    if (has('format') && arg.startsWith('--format=')) json = arg === '--format=json';
    else if (has('format') && arg === '--format') json = argv[++i] === 'json';
    else if (has('json') && arg === '--json') json = true;
  }
  return json;
}

/**
 * Parse argv against a flag table (node's `util.parseArgs`, strict). Unknown flags, missing
 * values, bad choices and bad numbers become a one-line `usage` {@link UserError}.
 */
export function parseFlags(argv: readonly string[], specs: readonly FlagSpec[], options: ParseFlagsOptions): ParsedArgs {
  const config: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const spec of [...specs, helpFlag]) {
    config[spec.name] = { type: spec.type, ...(spec.short ? { short: spec.short } : {}), ...(spec.multiple ? { multiple: true } : {}) };
  }
  let parsed;
  try {
    parsed = parseArgs({ args: attachDashValues(argv, [...specs, helpFlag]), options: config, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UserError('usage', describeParseError(error, specs, options.command, argv));
  }
  const max = options.maxPositionals ?? 0;
  if (parsed.positionals.length > max) {
    const extra = parsed.positionals[max] as string;
    throw new UserError('usage', `${options.command}: unexpected argument \`${extra}\`${max === 0 ? ' (this command takes only flags)' : ''}`);
  }
  const flags: FlagValues = {};
  const given = new Set<string>();
  for (const spec of specs) {
    let value = parsed.values[spec.name] as string | boolean | string[] | undefined;
    if (value !== undefined) given.add(spec.name);
    if (Array.isArray(value) && spec.list) value = value.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
    if (value === undefined && spec.default !== undefined) value = spec.default;
    if (typeof value === 'string') check(spec, value, options.command);
    if (Array.isArray(value)) for (const v of value) check(spec, v, options.command);
    flags[spec.name] = value;
  }
  if (parsed.values['help'] === true) flags['help'] = true;
  return { flags, positionals: parsed.positionals, given };
}

/**
 * `--goal "-x"`: a string flag followed by an argument that starts with `-` but is not one of
 * the command's flags takes it as its value (written `--goal=-x` for the parser). An argument
 * that is one of its flags (`--goal --lens risks`) still means the value is missing.
 */
function attachDashValues(argv: readonly string[], specs: readonly FlagSpec[]): string[] {
  const isFlag = (arg: string): boolean =>
    arg === '--' ||
    (arg.startsWith('--') && specs.some((s) => arg === `--${s.name}` || arg.startsWith(`--${s.name}=`))) ||
    (/^-[^-]/.test(arg) && specs.some((s) => s.short !== undefined && s.short === arg[1]));
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const spec = arg.startsWith('--') ? specs.find((s) => arg === `--${s.name}`) : /^-[^-]$/.test(arg) ? specs.find((s) => s.short === arg[1]) : undefined;
    const next = argv[i + 1];
    if (spec?.type === 'string' && next !== undefined && next.startsWith('-') && !isFlag(next)) {
      out.push(`--${spec.name}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

function check(spec: FlagSpec, value: string, command: string): void {
  if (spec.choices && !spec.choices.includes(value)) {
    throw new UserError('usage', `${command}: --${spec.name} must be one of ${spec.choices.join(', ')}, got \`${value}\`${didYouMean(value, spec.choices)}`);
  }
  if (spec.integer) {
    const n = Number(value);
    const { min, max } = spec.integer;
    if (!/^\d+$/.test(value) || n < min || (max !== undefined && n > max)) {
      throw new UserError('usage', `${command}: --${spec.name} takes a whole number ${max === undefined ? `of at least ${min}` : `from ${min} to ${max}`}, got \`${value}\``);
    }
  }
}

function describeParseError(error: unknown, specs: readonly FlagSpec[], command: string, argv: readonly string[]): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  // Node quotes a flag as '--name' or, for one with a short alias, '-n, --name'.
  const flag = /'(?:-\w, )?(-{1,2}[^' ]+)'/.exec(message)?.[1] ?? /'(-{1,2}[^' ]+)/.exec(message)?.[1] ?? '';
  const names = specs.map((s) => s.name).concat('help');
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const bare = flag.replace(/^-+/, '');
    return `${command}: unknown flag \`${flag}\`${didYouMean(bare, names).replace(/`([^`]+)`\?/, '`--$1`?')}; see \`orch-prompt ${command} --help\``;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (/argument missing/.test(message)) return `${command}: ${flag} needs a value`;
    if (/does not take an argument/.test(message)) return `${command}: ${flag} takes no value`;
    if (/ambiguous/.test(message)) {
      const next = argv[argv.findIndex((arg) => arg === flag) + 1] ?? '';
      return `${command}: ${flag} needs a value, but the next argument \`${next}\` is a flag (for a value that starts with -, write ${flag}=VALUE)`;
    }
  }
  return `${command}: ${message.split('\n')[0] ?? message}`;
}

/** First value of a string flag (a repeated single-value flag keeps the last). */
export function stringFlag(flags: FlagValues, name: string): string | undefined {
  const value = flags[name];
  if (Array.isArray(value)) return value.at(-1);
  return typeof value === 'string' ? value : undefined;
}

/** All values of a repeatable flag. */
export function listFlag(flags: FlagValues, name: string): string[] {
  const value = flags[name];
  if (Array.isArray(value)) return value;
  return typeof value === 'string' ? [value] : [];
}

import { UserError } from '../../errors/index.js';
import { didYouMean, unknownName } from '../../text/closest.js';
import { describeRange, formatDuration, inRange, parseDuration, type DurationRange } from './duration.js';

/** What kind of value a run setting holds, and how its text is read. */
export type SettingType =
  | { kind: 'duration'; range: DurationRange }
  | { kind: 'integer'; min: number; max: number }
  | { kind: 'number'; exclusiveMin: number }
  | { kind: 'boolean' }
  | { kind: 'text' }
  | { kind: 'choice'; choices: readonly string[] }
  /** Repeatable: every value given is kept, in order (`-c`). */
  | { kind: 'list' }
  /** Tokens (`1500`) or estimated dollars (`$2`); given twice, both hold. */
  | { kind: 'budget' };

/** A spending limit: input plus output tokens, estimated dollars, or both. */
export interface Budget {
  tokens?: number;
  usd?: number;
}

/** A value a setting holds once read. */
export type SettingValue = number | boolean | string | readonly string[] | Budget;

/**
 * One run setting, declared once: the command line (its own flag, or `--set NAME=VALUE`), a
 * plan's `settings:`, the manifest's `options`, `runs resume` and the help are all made from it.
 */
export interface Setting {
  /** The name people write: `--NAME`, `--set NAME=...`, `settings: {NAME: ...}`. */
  name: string;
  /** Its key in the settings object (`timeoutMs`). */
  key: string;
  /** The executor that owns it (its settings live under `executors.<kind>`); absent: the run's own. */
  owner?: string;
  /** A flag of its own on `run` (the common ones); the rest are set with `--set` or in a plan. */
  flag?: boolean;
  short?: string;
  type: SettingType;
  /** The value when none is given (absent: unset). */
  default?: SettingValue;
  /** Whether `runs resume` may change it: limits may change, what a worker is may not. */
  resume: boolean;
  /** Placeholder in help: `DURATION`, `N`. */
  value?: string;
  description: string;
}

/**
 * Read a setting's value from text (a flag, `--set`, or a plan value already turned to text).
 * `where` names the request in the message, `label` the setting as it was given (`--timeout`,
 * `--set timeout`, `settings.timeout`; default its name).
 *
 * @throws {UserError} `usage`: what was given and what is expected.
 */
export function readSetting(setting: Setting, text: string, where: string, label = setting.name): SettingValue {
  const fail = (expected: string): never => {
    throw new UserError('usage', `${where}: ${label} takes ${expected}, got \`${text}\``);
  };
  const type = setting.type;
  switch (type.kind) {
    case 'duration': {
      const ms = parseDuration(text);
      if (ms === null) return fail('a duration such as 90, 90s, 5m or 1500ms');
      if (!inRange(ms, type.range)) throw new UserError('usage', `${where}: ${label} must be ${describeRange(type.range)}, got \`${text}\``);
      return Math.round(ms);
    }
    case 'integer': {
      const n = Number(text);
      if (!/^\d+$/.test(text) || n < type.min || n > type.max) return fail(`a whole number from ${type.min} to ${type.max}`);
      return n;
    }
    case 'number': {
      if (!/^\d+(\.\d+)?$/.test(text) || Number(text) <= type.exclusiveMin) return fail(`a number above ${type.exclusiveMin}`);
      return Number(text);
    }
    case 'boolean':
      if (text === '' || text === 'true' || text === 'yes' || text === '1') return true;
      if (text === 'false' || text === 'no' || text === '0') return false;
      return fail('true or false');
    case 'choice':
      if (!type.choices.includes(text)) throw new UserError('usage', `${where}: ${label} must be one of ${type.choices.join(', ')}, got \`${text}\`${didYouMean(text, type.choices)}`);
      return text;
    case 'list':
      return [text];
    case 'budget': {
      const usd = /^\$(\d+(?:\.\d+)?)$/.exec(text.trim());
      if (usd) return Number(usd[1]) > 0 ? { usd: Number(usd[1]) } : fail('tokens (1500) or dollars ($2) above 0');
      const tokens = text.trim();
      if (!/^\d+$/.test(tokens) || Number(tokens) < 1 || Number(tokens) > 1_000_000_000_000) return fail('tokens (1500) or dollars ($2) above 0');
      return { tokens: Number(tokens) };
    }
    default:
      if (text.trim() === '') return fail('a value');
      return text;
  }
}

/** A setting's value as a person writes it (help defaults, messages). */
export function showSetting(setting: Setting, value: SettingValue): string {
  if (setting.type.kind === 'duration' && typeof value === 'number') return value === 0 && setting.type.range.zero !== undefined ? `0 (${setting.type.range.zero})` : formatDuration(value);
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'object') return [(value as Budget).tokens !== undefined ? String((value as Budget).tokens) : undefined, (value as Budget).usd !== undefined ? `$${(value as Budget).usd}` : undefined].filter(Boolean).join(' and ');
  return String(value);
}

/** The JSON Schema of a setting's stored value (the manifest's `options`). */
export function settingSchema(setting: Setting): object {
  const type = setting.type;
  switch (type.kind) {
    case 'duration':
      return { type: 'integer', minimum: 0, maximum: type.range.max };
    case 'integer':
      return { type: 'integer', minimum: type.min, maximum: type.max };
    case 'number':
      return { type: 'number', exclusiveMinimum: type.exclusiveMin };
    case 'boolean':
      return { type: 'boolean' };
    case 'choice':
      return { enum: type.choices };
    case 'list':
      return { type: 'array', items: { type: 'string', maxLength: 100_000 }, maxItems: 1000 };
    case 'budget':
      return { type: 'object', additionalProperties: false, properties: { tokens: { type: 'integer', minimum: 1 }, usd: { type: 'number', exclusiveMinimum: 0 } } };
    default:
      return { type: 'string', minLength: 1, maxLength: 4096 };
  }
}

/** The setting of a name, or a one-line error with the closest name. */
export function settingNamed(settings: readonly Setting[], name: string, where: string): Setting {
  const found = settings.find((s) => s.name === name);
  if (found) return found;
  throw new UserError('usage', `${where}: ${unknownName('run setting', name, settings.map((s) => s.name))}`);
}

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors/index.js';
import { fileReadFailure, readTextBounded } from '../fs/read-bounded.js';
import { didYouMean } from '../text/closest.js';
import type { SeveritySetting } from './rule.js';

/** Where a project configures rule severities. */
export const lintConfigPath = '.orch/lint.json';

const settings: readonly SeveritySetting[] = ['off', 'warn', 'error'];

/** A severity for each of a few dozen rules is a few KB. */
const maxConfigBytes = 1024 * 1024;

/**
 * Read `.orch/lint.json` below `cwd`: a JSON object mapping rule ids to `"off"`, `"warn"` or
 * `"error"`. Returns `{}` when the file does not exist. Read bounded: a FIFO, a folder or a
 * file over 1 MB is refused without reading from it.
 *
 * @throws {UserError} `lint-config-invalid` when the file cannot be read, does not parse or names an unknown rule or severity.
 */
export function loadLintConfig(cwd: string, knownIds: readonly string[]): Record<string, SeveritySetting> {
  const path = join(cwd, lintConfigPath);
  if (!existsSync(path)) return {};
  let data: unknown;
  try {
    data = JSON.parse(readTextBounded(path, { maxBytes: maxConfigBytes, what: 'a lint configuration' }));
  } catch (error) {
    const reason = fileReadFailure(error)?.reason ?? (error instanceof SyntaxError ? `not valid JSON: ${error.message}` : (error as Error).message);
    throw new UserError('lint-config-invalid', `${lintConfigPath}: ${reason}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new UserError('lint-config-invalid', `${lintConfigPath}: expected an object mapping rule ids to "off", "warn" or "error"`);
  }
  const out: Record<string, SeveritySetting> = {};
  for (const [id, value] of Object.entries(data)) out[checkId(id, knownIds, lintConfigPath)] = checkSetting(value, id, lintConfigPath);
  return out;
}

/**
 * Parse `--rule id=severity` values (later ones win) on top of `base`.
 *
 * @throws {UserError} `lint-config-invalid` on a malformed value, an unknown rule or an unknown severity.
 */
export function applyRuleFlags(base: Readonly<Record<string, SeveritySetting>>, flags: readonly string[], knownIds: readonly string[]): Record<string, SeveritySetting> {
  const out = { ...base };
  for (const flag of flags) {
    const match = /^([^=]+)=(.*)$/.exec(flag);
    if (!match) throw new UserError('lint-config-invalid', `--rule takes id=off|warn|error, got \`${flag}\``);
    const id = (match[1] as string).trim();
    out[checkId(id, knownIds, '--rule')] = checkSetting((match[2] as string).trim(), id, '--rule');
  }
  return out;
}

function checkId(id: string, knownIds: readonly string[], where: string): string {
  if (knownIds.includes(id)) return id;
  throw new UserError('lint-config-invalid', `${where}: unknown rule \`${id}\`${didYouMean(id, knownIds)}; see docs/lint-rules.md`);
}

function checkSetting(value: unknown, id: string, where: string): SeveritySetting {
  if (typeof value === 'string' && (settings as readonly string[]).includes(value)) return value as SeveritySetting;
  throw new UserError('lint-config-invalid', `${where}: rule \`${id}\` must be "off", "warn" or "error", got ${JSON.stringify(value)}`);
}

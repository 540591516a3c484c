import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { didYouMean } from '../text/closest.js';
import type { SeveritySetting } from './rule.js';

/** Where a project configures rule severities. */
export const lintConfigPath = '.orch/lint.json';

const settings: readonly SeveritySetting[] = ['off', 'warn', 'error'];

/** A configuration mistake (bad JSON, unknown rule id, bad severity); the CLI exits 2. */
export class LintConfigError extends Error {
  override name = 'LintConfigError';
}

/**
 * Read `.orch/lint.json` below `cwd`: a JSON object mapping rule ids to `"off"`, `"warn"` or
 * `"error"`. Returns `{}` when the file does not exist.
 *
 * @throws {LintConfigError} when the file does not parse or names an unknown rule or severity.
 */
export function loadLintConfig(cwd: string, knownIds: readonly string[]): Record<string, SeveritySetting> {
  const path = join(cwd, lintConfigPath);
  if (!existsSync(path)) return {};
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new LintConfigError(`${lintConfigPath}: ${error instanceof SyntaxError ? `not valid JSON: ${error.message}` : (error as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new LintConfigError(`${lintConfigPath}: expected an object mapping rule ids to "off", "warn" or "error"`);
  }
  const out: Record<string, SeveritySetting> = {};
  for (const [id, value] of Object.entries(data)) out[checkId(id, knownIds, lintConfigPath)] = checkSetting(value, id, lintConfigPath);
  return out;
}

/**
 * Parse `--rule id=severity` values (later ones win) on top of `base`.
 *
 * @throws {LintConfigError} on a malformed value, an unknown rule or an unknown severity.
 */
export function applyRuleFlags(base: Readonly<Record<string, SeveritySetting>>, flags: readonly string[], knownIds: readonly string[]): Record<string, SeveritySetting> {
  const out = { ...base };
  for (const flag of flags) {
    const match = /^([^=]+)=(.*)$/.exec(flag);
    if (!match) throw new LintConfigError(`--rule takes id=off|warn|error, got \`${flag}\``);
    const id = (match[1] as string).trim();
    out[checkId(id, knownIds, '--rule')] = checkSetting((match[2] as string).trim(), id, '--rule');
  }
  return out;
}

function checkId(id: string, knownIds: readonly string[], where: string): string {
  if (knownIds.includes(id)) return id;
  throw new LintConfigError(`${where}: unknown rule \`${id}\`${didYouMean(id, knownIds)}; see docs/lint-rules.md`);
}

function checkSetting(value: unknown, id: string, where: string): SeveritySetting {
  if (typeof value === 'string' && (settings as readonly string[]).includes(value)) return value as SeveritySetting;
  throw new LintConfigError(`${where}: rule \`${id}\` must be "off", "warn" or "error", got ${JSON.stringify(value)}`);
}

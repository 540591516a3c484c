import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '../errors/index.js';
import { builtinPrices, defaultSettings, loadPrices, readSetting, setValue, settingNamed, showSetting, type RunSettings, type Setting, type SettingValue } from '../run/index.js';
import { listFlag, type FlagSpec, type ParsedArgs } from './flags.js';
import type { CliIo } from './io.js';

/** `--set NAME=VALUE`: any run setting, those without a flag of their own too. */
export function setFlag(table: readonly Setting[], only?: (setting: Setting) => boolean): FlagSpec {
  const names = table.filter((s) => only?.(s) ?? true).map((s) => s.name);
  return { name: 'set', type: 'string', multiple: true, value: 'NAME=VALUE', description: `Any run setting: ${names.join(', ')}. See docs/runner.md for each.` };
}

/** The flags of the settings that have one (`--timeout`, `-m`), from the settings table. */
export function settingFlags(table: readonly Setting[], only: (setting: Setting) => boolean): FlagSpec[] {
  return table.filter(only).map((setting): FlagSpec => {
    const type = setting.type;
    const shown = setting.default !== undefined && type.kind !== 'boolean' && !(Array.isArray(setting.default) && setting.default.length === 0) ? showSetting(setting, setting.default) : undefined;
    return {
      name: setting.name,
      ...(setting.short !== undefined ? { short: setting.short } : {}),
      type: type.kind === 'boolean' ? 'boolean' : 'string',
      ...(type.kind === 'list' || type.kind === 'budget' ? { multiple: true } : {}),
      ...(setting.value !== undefined ? { value: setting.value } : {}),
      ...(type.kind === 'choice' ? { choices: type.choices } : {}),
      ...(shown !== undefined ? { default: shown } : {}),
      description: setting.description,
    };
  });
}

/**
 * The settings the command line gives, in order: each setting flag given, then each `--set`.
 * Read and checked with the setting's own rules; a flag left at its default gives nothing.
 */
export function givenSettings(table: readonly Setting[], args: ParsedArgs, command: string): Array<[Setting, SettingValue]> {
  const given: Array<[Setting, SettingValue]> = [];
  for (const setting of table) {
    if (!args.given.has(setting.name)) continue;
    const raw = args.flags[setting.name];
    const texts = Array.isArray(raw) ? raw : [raw === true ? 'true' : String(raw)];
    for (const text of texts) given.push([setting, readSetting(setting, text, command, `--${setting.name}`)]);
  }
  for (const entry of listFlag(args.flags, 'set')) {
    const at = entry.indexOf('=');
    const name = at === -1 ? entry : entry.slice(0, at);
    const setting = settingNamed(table, name.trim(), `${command}: --set`);
    given.push([setting, readSetting(setting, at === -1 ? '' : entry.slice(at + 1), command, `--set ${setting.name}`)]);
  }
  return given;
}

/** A plan file's `settings:` as given settings (values written as YAML scalars or lists). */
export function planSettings(table: readonly Setting[], values: Readonly<Record<string, unknown>> | undefined, where: string): Array<[Setting, SettingValue]> {
  const given: Array<[Setting, SettingValue]> = [];
  for (const [name, value] of Object.entries(values ?? {})) {
    const setting = settingNamed(table, name, `${where}: settings`);
    for (const text of Array.isArray(value) ? value.map(String) : [String(value)]) given.push([setting, readSetting(setting, text, where, `settings.${setting.name}`)]);
  }
  return given;
}

/**
 * A new run's settings: the defaults, `$CODEX_BIN`, then what is given (a plan's settings, then
 * the command line), then the price table (`prices` FILE over the built-in one, else
 * `.orch/prices.json` when there is one).
 */
export function resolveSettings(table: readonly Setting[], given: ReadonlyArray<[Setting, SettingValue]>, io: Pick<CliIo, 'cwd' | 'env'>): RunSettings {
  const settings = defaultSettings(table);
  const codexBin = io.env['CODEX_BIN'];
  if (codexBin !== undefined && codexBin !== '') settings.codexBin = codexBin;
  for (const [setting, value] of given) setValue(settings, setting, value);
  const file = (settings as unknown as { pricesFile?: string }).pricesFile;
  delete (settings as unknown as { pricesFile?: string }).pricesFile;
  const project = join(io.cwd, '.orch', 'prices.json');
  if (file !== undefined) settings.prices = loadPrices(resolve(io.cwd, file), file);
  else settings.prices = existsSync(project) ? loadPrices(project, '.orch/prices.json') : builtinPrices;
  return settings;
}

/** A usage error when `settings` asks for a dollar budget that cannot be counted. */
export function checkDollarBudget(settings: RunSettings, workers: ReadonlyArray<{ id: string; model?: string }>): void {
  if (settings.budget?.usd === undefined) return;
  // A dollar budget that cannot be counted would never stop anything.
  const unpriced = workers.find((w) => w.model === undefined || settings.prices?.models[w.model] === undefined);
  if (unpriced === undefined) return;
  const why = unpriced.model === undefined ? "runs Codex's default model, which has no name here; choose one (--model, or `model` in the plan or the role)" : `runs \`${unpriced.model}\`, which has no price; add it to .orch/prices.json or --set prices=FILE`;
  throw new UserError('budget-unpriced', `run: --budget in dollars: worker \`${unpriced.id}\` ${why}`);
}

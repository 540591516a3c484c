import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isUserError, UserError } from '../errors/index.js';
import { builtinPrices, defaultSettings, loadPrices, readSetting, setValue, settingNamed, type RunSettings, type Setting, type SettingValue } from '../run/index.js';

/** Where a run is asked from: relative paths resolve against `cwd`; `env` is the workers'. */
export interface RunPlace {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * A plan file's `settings:` as given settings (values written as YAML scalars, or lists for a
 * setting given more than once: a list, a budget in tokens and dollars).
 *
 * @throws {UserError} `plan-invalid`: an unknown setting, a value it does not take, a list
 * given to a setting that takes one value (a mistake in the plan, not on the command line).
 */
export function planSettings(table: readonly Setting[], values: Readonly<Record<string, unknown>> | undefined, where: string): Array<[Setting, SettingValue]> {
  const given: Array<[Setting, SettingValue]> = [];
  for (const [name, value] of Object.entries(values ?? {})) {
    const setting = inPlan(() => settingNamed(table, name, `${where}: settings`));
    // One value each: a list for any other would be read item by item, the last one winning
    // over what was checked of the whole.
    if (Array.isArray(value) && setting.type.kind !== 'list' && setting.type.kind !== 'budget') throw new UserError('plan-invalid', `${where}: settings.${name} takes one value, got a list`);
    for (const text of Array.isArray(value) ? value.map(String) : [String(value)]) given.push([setting, inPlan(() => readSetting(setting, text, where, `settings.${setting.name}`))]);
  }
  return given;
}

/** What `read` returns; its usage error as the plan's (`plan-invalid`, the same message). */
function inPlan<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (isUserError(error, 'usage')) throw new UserError('plan-invalid', error.message, error.data ? { data: { ...error.data } } : undefined);
    throw error;
  }
}

/**
 * A new run's settings: the defaults, `$CODEX_BIN`, then what is given (a plan's settings, then
 * the command line), then the price table (`prices` FILE over the built-in one, else
 * `.orch/prices.json` when there is one).
 */
export function resolveSettings(table: readonly Setting[], given: ReadonlyArray<[Setting, SettingValue]>, io: RunPlace): RunSettings {
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

import { readSetting, settingNamed, showSetting, type Setting, type SettingValue } from '../run/index.js';
import { listFlag, type FlagSpec, type ParsedArgs } from './flags.js';

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

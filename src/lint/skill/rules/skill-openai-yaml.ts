import { isRecord } from '../../../markdown/index.js';
import { defineRule } from '../../rule.js';
import type { SkillLintInput } from '../skill-input.js';

/** Path of the Codex app metadata inside a skill folder. */
export const openaiYamlPath = 'agents/openai.yaml';

const knownKeys = ['display_name', 'short_description', 'icon_small', 'icon_large', 'brand_color', 'default_prompt'];

/**
 * `agents/openai.yaml` follows the fields Codex reads under `interface`: a display name of at
 * most 64 characters, a short description of 25 to 64 (as Codex's skill-creator asks), a default
 * prompt that names the skill as `$<name>`, icons stored under `assets/`, and a `#RRGGBB` brand
 * colour.
 */
export default defineRule<SkillLintInput>({
  id: 'skill-openai-yaml',
  appliesTo: 'skill',
  severity: 'error',
  summary: '`agents/openai.yaml` has a valid `interface`: display_name, short_description (25 to 64 characters), default_prompt, icons, brand_color.',
  messages: {
    yaml: '`agents/openai.yaml` does not parse: {reason}',
    interface: '`interface` is missing or not a mapping, expected `interface:` with display_name, short_description and default_prompt',
    unknown: 'unknown key `interface.{key}`, expected one of {expected}',
    missing: '`interface.{key}` is missing, expected {what}',
    type: '`interface.{key}` is {found}, expected a string',
    long: '`interface.{key}` is {length} characters long, expected at most {max}',
    short: '`interface.short_description` is {length} characters long, expected {min} to {max} (the Codex app shows it under the name)',
    prompt: '`interface.default_prompt` does not mention `${name}`, expected the prompt to invoke the skill by name',
    icon: '`interface.{key}` is `{path}`, expected a relative path under `assets/`',
    iconMissing: '`interface.{key}` points to `{path}`, which is not in the skill folder',
    color: '`interface.brand_color` is `{value}`, expected a colour like `#1A2B3C`',
  },
  check(input, report) {
    if (input.file !== openaiYamlPath) return;
    if (input.yamlProblem) {
      report('yaml', input.yamlProblem.place, { reason: input.yamlProblem.message });
      return;
    }
    const ui = input.data['interface'];
    if (!isRecord(ui)) {
      report('interface', input.yamlPlace(['interface']));
      return;
    }
    const place = (key: string, part: 'key' | 'value' = 'value') => input.yamlPlace(['interface', key], part);
    for (const key of Object.keys(ui)) {
      if (!knownKeys.includes(key)) report('unknown', place(key, 'key'), { key, expected: knownKeys.map((k) => `\`${k}\``).join(', ') });
    }
    const required: Record<string, string> = {
      display_name: 'the name shown in the Codex app',
      short_description: 'one line shown under the name',
      default_prompt: 'a prompt that mentions `$<skill name>`',
    };
    for (const key of knownKeys) {
      const value = ui[key];
      if (value === undefined || value === null) {
        if (required[key]) report('missing', input.yamlPlace(['interface']), { key, what: required[key] });
        continue;
      }
      if (typeof value !== 'string') {
        report('type', place(key), { key, found: Array.isArray(value) ? 'a list' : typeof value });
        continue;
      }
      if ((key === 'display_name' || key === 'short_description') && value.length > 64) report('long', place(key), { key, length: value.length, max: 64 });
      if (key === 'short_description' && value.length < 25) report('short', place(key), { length: value.length, min: 25, max: 64 });
      if (key === 'default_prompt' && input.folderName !== '' && !value.includes(`$${input.folderName}`)) report('prompt', place(key), { name: input.folderName });
      if (key === 'icon_small' || key === 'icon_large') {
        const path = value.replace(/^\.\//, '');
        if (!path.startsWith('assets/') || path.split('/').includes('..')) report('icon', place(key), { key, path: value });
        else if (!input.files.has(path)) report('iconMissing', place(key), { key, path: value });
      }
      if (key === 'brand_color' && !/^#[0-9A-Fa-f]{6}$/.test(value)) report('color', place(key), { value });
    }
  },
});

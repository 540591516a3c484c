import { isRecord } from '../../../markdown/index.js';
import { defineRule } from '../../rule.js';
import { hasReadableEntryFrontmatter, type SkillLintInput } from '../skill-input.js';

/** The keys the Agent Skills spec allows in `SKILL.md` frontmatter. */
export const allowedSkillKeys = ['name', 'description', 'license', 'compatibility', 'metadata', 'allowed-tools'] as const;

/**
 * Only the spec's keys, each of the right type: `metadata` maps keys to strings (Codex reads
 * `metadata.short-description`), `compatibility` is at most 500 characters.
 */
export default defineRule<SkillLintInput>({
  id: 'skill-frontmatter-keys',
  appliesTo: 'skill',
  severity: 'error',
  summary: 'Frontmatter has only the Agent Skills keys, with the types they require.',
  messages: {
    unknown: 'unknown frontmatter key `{key}`, expected only {expected}',
    metadata: '`metadata` is {found}, expected a mapping of keys to strings',
    metadataValue: '`metadata.{key}` is {found}, expected a string (the Agent Skills spec allows only string values)',
    shortDescription: '`metadata.short-description` is {length} characters long, expected 1 to {max}',
    compatibility: '`compatibility` must be a string of 1 to 500 characters, found {found}',
    string: '`{key}` is {found}, expected a string',
  },
  check(input, report) {
    if (!hasReadableEntryFrontmatter(input)) return;
    const expected = allowedSkillKeys.map((k) => `\`${k}\``).join(', ');
    for (const [key, value] of Object.entries(input.data)) {
      if (!(allowedSkillKeys as readonly string[]).includes(key)) {
        report('unknown', input.yamlPlace([key], 'key'), { key, expected });
        continue;
      }
      if ((key === 'license' || key === 'allowed-tools') && typeof value !== 'string') {
        report('string', input.yamlPlace([key]), { key, found: describe(value) });
      }
      if (key === 'compatibility' && (typeof value !== 'string' || value.length === 0 || value.length > 500)) {
        report('compatibility', input.yamlPlace([key]), { found: typeof value === 'string' ? `${value.length} characters` : describe(value) });
      }
      if (key === 'metadata') {
        if (!isRecord(value)) {
          report('metadata', input.yamlPlace([key]), { found: describe(value) });
          continue;
        }
        for (const [field, fieldValue] of Object.entries(value)) {
          if (typeof fieldValue !== 'string') report('metadataValue', input.yamlPlace([key, field]), { key: field, found: describe(fieldValue) });
          else if (field === 'short-description' && (fieldValue.trim() === '' || fieldValue.length > 1024)) {
            report('shortDescription', input.yamlPlace([key, field]), { length: fieldValue.length, max: 1024 });
          }
        }
      }
    }
  },
});

function describe(value: unknown): string {
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (isRecord(value)) return 'a mapping';
  return `a ${typeof value}`;
}

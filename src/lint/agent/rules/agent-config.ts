import { isRecord } from '../../../markdown/index.js';
import { didYouMean } from '../../../text/closest.js';
import { defineRule, type Report } from '../../rule.js';
import { describeValue, nicknameProblem, placeOf, type AgentLintInput } from '../agent-input.js';
import { agentsSettings, inlineRoleFields } from '../codex-agent-fields.js';
import { hasType } from './agent-field-value.js';

/**
 * config.toml's `[agents]` table as Codex 0.169 reads it: a setting of the wrong type, or a key
 * that is neither a setting nor a table, stops Codex from starting at all; an inline role
 * (`[agents.NAME]`) that lacks a description or points to a missing or broken file is skipped.
 */
export default defineRule<AgentLintInput>({
  id: 'agent-config',
  appliesTo: 'agent',
  severity: 'error',
  summary: 'config.toml\'s `[agents]` table holds only its settings and inline roles that Codex loads.',
  messages: {
    table: '`agents` is {found}: Codex 0.169 refuses to start, expected a table',
    unknown: '`agents.{key}` is {found}, neither a setting nor an agent role: Codex 0.169 refuses to start, expected one of `max_threads`, `max_depth`, `job_max_runtime_seconds`, `interrupt_message`, or a table `[agents.{key}]`{hint}',
    setting: '`agents.{key}` is {found}: Codex 0.169 refuses to start, expected {expected}',
    roleType: '`agents.{role}.{key}` is {found}: Codex 0.169 refuses to start, expected {expected}',
    noDescription: 'agent role `{role}` has no description: Codex 0.169 skips it, expected `description` here or in the file `config_file` names',
    blank: '`agents.{role}.description` is blank: Codex 0.169 skips the role, expected when to spawn it',
    nickname: '`agents.{role}.nickname_candidates` {problem}: Codex 0.169 skips the role, expected a non-empty array of distinct names of ASCII letters, digits, spaces, `-` and `_`',
    roleFile: '`agents.{role}.config_file` {problem}: Codex 0.169 skips the role, expected an agent file that loads',
  },
  check(input, report) {
    if (input.kind !== 'config' || input.doc.problem) return;
    const agents = input.doc.data['agents'];
    if (agents === undefined) return;
    if (!isRecord(agents)) {
      report('table', placeOf(input, ['agents'], 'value'), { found: describeValue(agents) });
      return;
    }
    for (const [key, value] of Object.entries(agents)) {
      const setting = agentsSettings[key];
      const place = placeOf(input, ['agents', key], 'value');
      if (setting) {
        const ok = hasType(value, setting.type) && (setting.min === undefined || (value as number) >= setting.min);
        if (!ok) report('setting', place, { key, found: found(value), expected: setting.type === 'boolean' ? 'true or false' : `a whole number of at least ${setting.min}` });
      } else if (!isRecord(value)) {
        report('unknown', placeOf(input, ['agents', key]), { key, found: describeValue(value), hint: didYouMean(key, Object.keys(agentsSettings)) });
      } else checkRole(input, key, value, report);
    }
  },
});

function checkRole(input: AgentLintInput, role: string, table: Record<string, unknown>, report: Report): void {
  for (const [key, type] of Object.entries(inlineRoleFields)) {
    if (table[key] !== undefined && !hasType(table[key], type)) {
      report('roleType', placeOf(input, ['agents', role, key], 'value'), { role, key, found: describeValue(table[key]), expected: type === 'array' ? 'an array of strings' : 'a string' });
      return;
    }
  }
  const at = placeOf(input, ['agents', role]);
  const description = table['description'];
  if (typeof description === 'string' && description.trim() === '') report('blank', placeOf(input, ['agents', role, 'description'], 'value'), { role });
  if (table['nickname_candidates'] !== undefined) {
    const problem = nicknameProblem(table['nickname_candidates']);
    if (problem) report('nickname', placeOf(input, ['agents', role, 'nickname_candidates'], 'value'), { role, problem });
  }
  const path = table['config_file'];
  const file = typeof path === 'string' ? input.roleFile(path) : { description: undefined };
  if ('problem' in file) report('roleFile', placeOf(input, ['agents', role, 'config_file'], 'value'), { role, problem: file.problem });
  else if (description === undefined && file.description === undefined) report('noDescription', at, { role });
}

function found(value: unknown): string {
  return typeof value === 'number' || typeof value === 'boolean' ? `\`${String(value)}\`` : describeValue(value);
}

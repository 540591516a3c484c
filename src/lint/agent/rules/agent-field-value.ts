import { quoteList } from '../../../text/closest.js';
import { defineRule } from '../../rule.js';
import { agentData, describeValue, nicknameProblem, placeOf, type AgentLintInput } from '../agent-input.js';
import { agentFileFields, configFields, fieldChoices, type FieldType } from '../codex-agent-fields.js';

const typeNames: Record<FieldType, string> = {
  string: 'a string',
  boolean: 'a boolean',
  integer: 'an integer',
  array: 'an array',
  table: 'a table',
  'string-or-table': 'a string (or a table)',
  any: 'a value',
};

/** Whether a TOML value has the type Codex deserializes at that key. */
export function hasType(value: unknown, type: FieldType): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'array':
      return Array.isArray(value);
    case 'table':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'string-or-table':
      return typeof value === 'string' || hasType(value, 'table');
    case 'any':
      return true;
  }
}

/** Each known field holds what Codex 0.169 takes there; one that does not makes Codex skip the agent. */
export default defineRule<AgentLintInput>({
  id: 'agent-field-value',
  appliesTo: 'agent',
  severity: 'error',
  summary: 'Each field holds the type (and, for enums and nicknames, the values) Codex accepts.',
  messages: {
    type: '`{field}` is {found}: Codex 0.169 skips the agent, expected {expected}',
    choice: '`{field}` is `{found}`: Codex 0.169 skips the agent, expected one of {expected}',
    nickname: '`nickname_candidates` {problem}: Codex 0.169 skips the agent, expected a non-empty array of distinct names of ASCII letters, digits, spaces, `-` and `_`',
  },
  check(input, report) {
    const data = agentData(input);
    if (!data) return;
    for (const [field, value] of Object.entries(data)) {
      const type = agentFileFields[field] ?? configFields[field];
      if (type === undefined) continue;
      const place = placeOf(input, [field], 'value');
      if (!hasType(value, type)) {
        report('type', place, { field, found: describeValue(value), expected: typeNames[type] });
        continue;
      }
      const choices = fieldChoices[field];
      if (choices && typeof value === 'string' && !choices.includes(value)) report('choice', place, { field, found: value, expected: quoteList(choices) });
      if (field === 'nickname_candidates') {
        const problem = nicknameProblem(value);
        if (problem) report('nickname', place, { problem });
      }
    }
  },
});

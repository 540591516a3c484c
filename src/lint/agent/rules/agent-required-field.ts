import { defineRule } from '../../rule.js';
import { agentData, placeOf, type AgentLintInput } from '../agent-input.js';

const purpose: Record<string, string> = {
  name: 'the name `spawn_agent` takes as `agent_type`',
  description: 'when to spawn the agent',
  developer_instructions: 'the standing instructions the agent gets',
};

/** `name`, `description` and `developer_instructions` are present and not blank. */
export default defineRule<AgentLintInput>({
  id: 'agent-required-field',
  appliesTo: 'agent',
  severity: 'error',
  summary: '`name`, `description` and `developer_instructions` are present and not blank.',
  messages: {
    missing: 'no `{field}`: Codex 0.169 skips the agent, expected {purpose}',
    blank: '`{field}` is blank: Codex 0.169 skips the agent, expected {purpose}',
  },
  check(input, report) {
    const data = agentData(input);
    if (!data) return;
    for (const [field, what] of Object.entries(purpose)) {
      const value = data[field];
      if (value === undefined) report('missing', { line: 1, column: 1 }, { field, purpose: what });
      else if (typeof value === 'string' && value.trim() === '') report('blank', placeOf(input, [field], 'value'), { field, purpose: what });
    }
  },
});

import { defineRule } from '../../rule.js';
import { agentData, placeOf, type AgentLintInput } from '../agent-input.js';

/** No earlier file of the same agents folder claims the same name. */
export default defineRule<AgentLintInput>({
  id: 'agent-duplicate-name',
  appliesTo: 'agent',
  severity: 'error',
  summary: 'No other file of the same agents folder, read earlier by Codex, has the same `name`.',
  messages: {
    taken: 'agent `{name}` is also defined by `{other}`, which Codex reads first: Codex 0.169 skips this file, expected a name no other file of the folder uses',
  },
  check(input, report) {
    const name = agentData(input)?.['name'];
    if (typeof name !== 'string' || name.trim() === '') return;
    const other = input.claimedBefore(name.trim());
    if (other !== undefined) report('taken', placeOf(input, ['name'], 'value'), { name: name.trim(), other });
  },
});

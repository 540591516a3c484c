import { defineRule } from '../../rule.js';
import { agentData, placeOf, type AgentLintInput } from '../agent-input.js';

/** `sandbox_mode` in an agent file does nothing in Codex 0.169: it does not do what it says. */
export default defineRule<AgentLintInput>({
  id: 'agent-sandbox-mode',
  appliesTo: 'agent',
  severity: 'warn',
  summary: '`sandbox_mode` is not set: in Codex 0.169 a spawned agent always runs in its parent\'s sandbox.',
  messages: {
    ignored:
      '`sandbox_mode` has no effect in Codex 0.169 (a spawned agent runs in its parent\'s sandbox, narrower or wider), expected the restriction in `developer_instructions`, or a worker started by `orch-prompt run`, which sets its own sandbox',
  },
  check(input, report) {
    if (agentData(input)?.['sandbox_mode'] !== undefined) report('ignored', placeOf(input, ['sandbox_mode']));
  },
});

import { didYouMean } from '../../../text/closest.js';
import { defineRule } from '../../rule.js';
import { agentData, placeOf, type AgentLintInput } from '../agent-input.js';
import { knownAgentKeys } from '../codex-agent-fields.js';

/** Every top-level key is one Codex 0.169 knows: an agent field or a config.toml setting. */
export default defineRule<AgentLintInput>({
  id: 'agent-unknown-field',
  appliesTo: 'agent',
  severity: 'error',
  summary: 'Every key is a field Codex knows (agent fields and config.toml settings); one unknown key makes Codex skip the file.',
  messages: {
    unknown: 'unknown field `{name}`: Codex 0.169 skips the whole agent, expected `name`, `description`, `developer_instructions`, `nickname_candidates` or a config.toml setting such as `model`{hint}',
  },
  check(input, report) {
    const data = agentData(input);
    if (!data) return;
    const known = knownAgentKeys();
    for (const key of Object.keys(data)) {
      if (!known.includes(key)) report('unknown', placeOf(input, [key]), { name: key, hint: didYouMean(key, known) });
    }
  },
});

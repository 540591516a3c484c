import { isRecord } from '../../../markdown/index.js';
import { defineRule } from '../../rule.js';
import { placeOf, type AgentLintInput } from '../agent-input.js';
import { agentsSettings, inlineRoleFields } from '../codex-agent-fields.js';

/** An inline role's key that Codex 0.169 accepts and ignores: it does not do what it says. */
export default defineRule<AgentLintInput>({
  id: 'agent-config-ignored',
  appliesTo: 'agent',
  severity: 'warn',
  summary: 'An inline role (`[agents.NAME]` in config.toml) holds only `description`, `config_file` and `nickname_candidates`.',
  messages: {
    ignored: '`agents.{role}.{key}` is ignored by Codex 0.169, expected `description`, `config_file` or `nickname_candidates` (put `{key}` in the agent file `config_file` names)',
  },
  check(input, report) {
    if (input.kind !== 'config' || input.doc.problem) return;
    const agents = input.doc.data['agents'];
    if (!isRecord(agents)) return;
    for (const [role, table] of Object.entries(agents)) {
      if (agentsSettings[role] || !isRecord(table)) continue;
      for (const key of Object.keys(table)) if (!inlineRoleFields[key]) report('ignored', placeOf(input, ['agents', role, key]), { role, key });
    }
  },
});

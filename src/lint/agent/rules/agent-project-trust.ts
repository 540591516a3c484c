import { defineRule } from '../../rule.js';
import type { AgentLintInput } from '../agent-input.js';

/** A project agent is only loaded when Codex trusts the project. */
export default defineRule<AgentLintInput>({
  id: 'agent-project-trust',
  appliesTo: 'agent',
  severity: 'warn',
  summary: 'A project agent (`.codex/agents/`) is in a project Codex trusts; Codex ignores it otherwise.',
  messages: {
    untrusted:
      'Codex 0.169 reads `.codex/agents/` only in a trusted project, and `{project}` is not trusted: this agent is never offered, expected `[projects."{project}"]` with `trust_level = "trusted"` in `$CODEX_HOME/config.toml` (`codex exec --trust` there adds it)',
  },
  check(input, report) {
    if (input.kind !== 'agent' || input.layer?.kind !== 'project' || input.trusted !== false) return;
    report('untrusted', { line: 1, column: 1 }, { project: input.layer.project ?? '' });
  },
});

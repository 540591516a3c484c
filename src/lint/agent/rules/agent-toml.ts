import { defineRule } from '../../rule.js';
import type { AgentLintInput } from '../agent-input.js';

/** The file is TOML that Codex's parser reads (TOML 1.0). */
export default defineRule<AgentLintInput>({
  id: 'agent-toml',
  appliesTo: 'agent',
  severity: 'error',
  summary: 'The file is valid TOML 1.0, as Codex reads it.',
  messages: {
    agent: 'not valid TOML: {reason}; Codex 0.169 skips the agent (a warning on stderr, nothing else), expected TOML 1.0',
    config: 'not valid TOML: {reason}; Codex 0.169 refuses to start, expected TOML 1.0',
  },
  check(input, report) {
    const problem = input.doc.problem;
    if (problem) report(input.kind, problem.place, { reason: problem.message });
  },
});

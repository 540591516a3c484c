import { lintAgentText } from '../../lint/agent/agent-lint.js';
import type { AgentFile } from './compile-agents.js';

/** What the agent rules say of compiled agents, one line each naming the role's file. */
export interface AgentProblems {
  /** Conditions that would make Codex skip the agent. */
  errors: string[];
  warnings: string[];
}

/** Lint compiled agents as Codex would load them (each alone: no folder, no trust). */
export function validateAgents(agents: readonly AgentFile[]): AgentProblems {
  const problems: AgentProblems = { errors: [], warnings: [] };
  for (const agent of agents) {
    for (const finding of lintAgentText(agent.path, agent.content)) {
      const line = `${agent.source}: agent \`${agent.name}\`: ${finding.message} (${finding.ruleId})`;
      (finding.severity === 'error' ? problems.errors : problems.warnings).push(line);
    }
  }
  return problems;
}

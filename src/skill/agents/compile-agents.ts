import { stringify as stringifyToml } from 'smol-toml';
import { agentInstructions, agentNameFor } from '../../prompt/agent.js';
import type { RoleTemplate, TemplateSet } from '../../templates/model.js';

/** One Codex custom agent compiled from a role: a TOML file for `$CODEX_HOME/agents/` or `.codex/agents/`. */
export interface AgentFile {
  /** The agent's name (`spawn_agent`'s `agent_type`): `orch-<role>`. */
  name: string;
  role: string;
  /** The file name, `<name>.toml`. */
  path: string;
  content: string;
  /** Where the role came from (`builtin:templates/roles/reviewer.md`, or a project file). */
  source: string;
}

/**
 * When to spawn a role's agent: the role's own description, then when to use it and how to give
 * it its task (Codex lists this text in `spawn_agent`'s `agent_type` parameter), and what its
 * sandbox is, honestly: an agent runs in the sandbox of the session that spawns it.
 */
export function agentDescription(role: RoleTemplate): string {
  const sandbox = role.edits
    ? 'It edits files: give it an editable SCOPE, and never two writers on the same files.'
    : 'It runs in your own sandbox; only its instructions keep it from changing files.';
  return [
    role.description,
    `Use when the plan calls for a ${role.name} worker: spawn it with the task message that \`orch-prompt ${role.name} ... --task-only\` (the codex-orchestration skill's script) prints.`,
    sandbox,
    'Do not use it for work outside its role, nor without that message or from inside a worker.',
  ].join(' ');
}

/**
 * Compile one role into a custom agent file. Values are written by the TOML library, never
 * pasted into TOML text; the comment lines above them say what the file is.
 */
export function compileAgent(role: RoleTemplate, templates: TemplateSet, version: string): AgentFile {
  const name = agentNameFor(role.name);
  const data: Record<string, string> = {
    name,
    description: agentDescription(role),
    developer_instructions: agentInstructions(role, templates),
  };
  if (role.model !== undefined) data['model'] = role.model;
  if (role.reasoningEffort !== undefined) data['model_reasoning_effort'] = role.reasoningEffort;
  const header = [
    `# Codex custom agent for the \`${role.name}\` role, written by orch-prompt (codex-orchestration ${version}).`,
    `# Spawn it with spawn_agent {agent_type: "${name}", message: <the output of \`orch-prompt ${role.name} ... --task-only\`>}.`,
    '# `orch-prompt install` rewrites this file and `orch-prompt uninstall` removes it; an edited copy is never replaced without --force.',
  ];
  return { name, role: role.name, path: `${name}.toml`, content: `${header.join('\n')}\n\n${stringifyToml(data)}\n`, source: role.source };
}

/** Every usable role of a template set as an agent, sorted by name. */
export function compileAgents(templates: TemplateSet, version: string): AgentFile[] {
  return Object.values(templates.roles)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((role) => compileAgent(role, templates, version));
}

import type { MockRequest } from './mock-model.js';

// What Codex 0.169 shows of custom agents: the `spawn_agent` tool's `agent_type` parameter lists
// the agents it loaded (with their descriptions and pinned model), and every agent it skipped is
// a `warning: Ignoring malformed agent role definition: ...` on stderr.

interface Tool {
  type?: string;
  name?: string;
  description?: string;
  tools?: Tool[];
  parameters?: { properties?: Record<string, { description?: string }> };
}

/** The `spawn_agent` tool of a request (in the `multi_agent_v1` namespace), if offered. */
export function spawnAgentTool(request: MockRequest): Tool | undefined {
  const tools = (request.body['tools'] ?? []) as Tool[];
  return tools.flatMap((tool) => (tool.type === 'namespace' ? (tool.tools ?? []) : [tool])).find((tool) => tool.name === 'spawn_agent');
}

/** The `agent_type` parameter's description: Codex's list of the roles it offers. */
export function agentTypeDescription(request: MockRequest): string {
  return spawnAgentTool(request)?.parameters?.properties?.['agent_type']?.description ?? '';
}

/**
 * The custom agents offered, by name, with the text Codex shows for each (its description, and a
 * line for a pinned model or reasoning effort). Codex's own roles (`default`, `explorer`,
 * `worker`) are left out.
 */
export function offeredAgents(request: MockRequest): Map<string, string> {
  const list = agentTypeDescription(request).split('Available roles:\n')[1] ?? '';
  const agents = new Map<string, string>();
  for (const match of list.matchAll(/^([^\n]+): \{\n([\s\S]*?)\n\}$/gm)) agents.set(match[1] as string, match[2] as string);
  for (const builtin of ['default', 'explorer', 'worker']) agents.delete(builtin);
  return agents;
}

/** The prefix of the warning Codex prints (twice) for each agent it skips. */
export const skippedAgentWarning = 'warning: Ignoring malformed agent role definition: ';

/** Each skipped-agent warning in Codex's stderr, its text up to the next warning line. */
export function skippedAgentWarnings(stderr: string): string[] {
  return stderr
    .split(/\n(?=warning: )/)
    .filter((part) => part.startsWith(skippedAgentWarning))
    .map((part) => part.slice(skippedAgentWarning.length));
}

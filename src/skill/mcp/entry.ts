import { basename } from 'node:path';

/** The server's name in config.toml: Codex offers its tools to the model as namespace `mcp__orch`. */
export const mcpServerName = 'orch';

/** The comment line above the entry: who wrote it, and how it goes away. */
export const mcpMarker = 'codex-orchestration: written by `orch-prompt install --mcp`; `orch-prompt uninstall --mcp` removes it';

/**
 * How long Codex waits for one tool call, in seconds: longer than the longest wait a call makes
 * (120 s), which Codex's own default need not be.
 */
export const toolTimeoutSec = 180;

/** What Codex 0.169's built-in providers read their key and endpoint from. */
const builtinProviderVars: Readonly<Record<string, readonly string[]>> = { openai: ['OPENAI_API_KEY', 'OPENAI_BASE_URL'], ollama: [], lmstudio: [] };

/** What workers need besides the provider's key: where Codex and the run key live, codex itself, proxies. */
const alwaysForwarded = ['CODEX_HOME', 'CODEX_BIN', 'XDG_STATE_HOME', 'HTTPS_PROXY', 'HTTP_PROXY', 'ALL_PROXY', 'NO_PROXY', 'https_proxy', 'http_proxy', 'all_proxy', 'no_proxy'];

/**
 * The variables Codex passes from its own environment to the server (`env_vars`): Codex 0.169
 * starts a stdio server with a rebuilt environment (HOME, PATH, SHELL, TMPDIR and a few more), so
 * `CODEX_HOME` and the configured provider's key variable reach the workers only when named. Values
 * are never written into config.toml.
 */
export function forwardedVars(config: Readonly<Record<string, unknown>>): string[] {
  return [...new Set([...neededVars(config), ...providerVars(config), ...alwaysForwarded])];
}

/** What workers cannot do without: the Codex home, and the configured provider's key variable. */
export function neededVars(config: Readonly<Record<string, unknown>>): string[] {
  return ['CODEX_HOME', ...providerVars(config).slice(0, 1)];
}

/** The configured provider's variables: a custom provider's `env_key`, a built-in one's own. */
function providerVars(config: Readonly<Record<string, unknown>>): readonly string[] {
  const provider = typeof config['model_provider'] === 'string' ? config['model_provider'] : 'openai';
  const providers = (config['model_providers'] ?? {}) as Record<string, { env_key?: unknown } | undefined>;
  const custom = providers[provider]?.env_key;
  return typeof custom === 'string' ? [custom] : (builtinProviderVars[provider] ?? []);
}

/**
 * The entry: node running the skill's script with `mcp`, the variables forwarded, calls
 * approved. With `previous`, the entry it replaces (one orch-prompt wrote): the keys the user
 * added to it (`startup_timeout_sec`, `env`, ...) and the variables they added to `env_vars` stay.
 */
export function mcpEntry(node: string, script: string, envVars: readonly string[], previous?: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const ours = ownEntry(node, script, envVars);
  if (previous === undefined) return ours;
  const added = Object.entries(previous).filter(([key]) => !(key in ours));
  const theirVars = Array.isArray(previous['env_vars']) ? previous['env_vars'].filter((name): name is string => typeof name === 'string' && !envVars.includes(name)) : [];
  return { ...ours, env_vars: [...envVars, ...theirVars], ...Object.fromEntries(added) };
}

function ownEntry(node: string, script: string, envVars: readonly string[]): Record<string, unknown> {
  // `codex exec` runs with the approval policy `never`: without `approve`, every call of a tool
  // not annotated read-only fails with "MCP tool call requires approval". Without `required`,
  // Codex sends its first request without waiting for the server, so a session's first turn
  // (all of a short `codex exec`) may not see the tools; with it, Codex waits, and a server that
  // cannot start stops the session with its name (doctor checks that it can).
  return { command: node, args: [script, 'mcp'], env_vars: [...envVars], default_tools_approval_mode: 'approve', required: true, tool_timeout_sec: toolTimeoutSec };
}

/** Whether an entry is one `install --mcp` writes: an `orch-prompt.mjs` script run with `mcp`. */
export function isOurEntry(value: Readonly<Record<string, unknown>> | undefined): boolean {
  const args = value?.['args'];
  return Array.isArray(args) && args.length === 2 && args[1] === 'mcp' && typeof args[0] === 'string' && basename(args[0]) === 'orch-prompt.mjs';
}

/** The script an entry of ours runs. */
export function entryScript(value: Readonly<Record<string, unknown>>): string {
  return String((value['args'] as unknown[])[0]);
}

import { join } from 'node:path';
import { UserError } from '../errors/index.js';
import { projectTrusted } from '../lint/agent/agent-layer.js';
import { codexHome } from '../skill/install-targets.js';
import type { InstallOptions } from '../skill/install.js';
import { mcpConfigFile, registerMcp, unregisterMcp, type McpResult } from '../skill/mcp/register.js';
import type { FlagSpec, ParsedArgs } from './flags.js';
import { shownPath } from './skill-report.js';

/** The flag of `install` and `uninstall` that registers (or takes back) the MCP server. */
export const mcpFlag: FlagSpec = {
  name: 'mcp',
  type: 'boolean',
  description: 'Also register `orch-prompt mcp` as the MCP server `orch` in $CODEX_HOME/config.toml (.codex/config.toml with --project), running the installed skill\'s script; uninstall --mcp takes exactly that entry back.',
};

/** The MCP step of an install or uninstall: checked first (`plan`), carried out after the skill (`apply`). */
export interface McpStep {
  plan(): McpResult;
  apply(): McpResult;
}

/**
 * What install and uninstall do to the MCP entry: with `--mcp`, install registers the installed
 * skill's script and uninstall removes the entry orch-prompt wrote; a plain uninstall removes it
 * only when it runs the script of the skill being removed (it would only fail in every session).
 */
export function mcpStep(kind: 'install' | 'uninstall', args: ParsedArgs, options: InstallOptions, skillDir: string): McpStep | undefined {
  const asked = args.flags['mcp'] === true;
  if (asked && options.target === 'openclaw') throw new UserError('usage', `${kind}: --mcp registers the server with Codex; use --target codex or --target agents`);
  if (options.target === 'openclaw' || (kind === 'install' && !asked)) return undefined;
  const file = mcpConfigFile(options);
  const project = options.project ? { project: options.cwd } : {};
  if (kind === 'install') {
    const register = (dryRun: boolean): McpResult => registerMcp({ file, script: join(skillDir, 'scripts', 'orch-prompt.mjs'), env: options.env, force: options.force === true, dryRun, ...project });
    return { plan: () => register(true), apply: () => register(options.dryRun === true) };
  }
  const unregister = (dryRun: boolean): McpResult => unregisterMcp({ file, dryRun, ...project, ...(asked ? {} : { within: skillDir }) });
  return { plan: () => unregister(true), apply: () => unregister(options.dryRun === true) };
}

/** Lines for people about the MCP entry (nothing when a plain uninstall found none of its own). */
export function mcpLines(result: McpResult, options: InstallOptions, asked: boolean): string[] {
  const would = (done: string, planned: string): string => (result.dryRun ? planned : done);
  const where = shownPath(result.file);
  const name = `the MCP server \`${result.name}\``;
  switch (result.action) {
    case 'add':
    case 'update': {
      const lines = [`${would(result.action === 'add' ? 'registered' : 'updated', result.action === 'add' ? 'would register' : 'would update')} ${name} in ${where}: Codex starts it in each new session, outside the sandbox, and offers its tools as mcp__${result.name} (start_run, wait_run, render_prompt, ...)`];
      if (!result.dryRun && options.project && projectTrusted(options.cwd, codexHome(options.env)) !== true) lines.push(`Codex reads .codex/config.toml only in a trusted project, and ${shownPath(options.cwd)} is not trusted yet: run \`codex exec --trust\` here once, or trust it when Codex asks.`);
      return lines;
    }
    case 'unchanged':
      return [`${name} is already registered in ${where}`];
    case 'remove':
      return [`${would('removed', 'would remove')} ${name} from ${where}`];
    case 'kept':
      return [`left mcp_servers.${result.name} in ${where}: ${result.reason ?? 'not ours'}`];
    case 'absent':
      return asked ? [`no MCP server \`${result.name}\` of orch-prompt in ${where}`] : [];
  }
}

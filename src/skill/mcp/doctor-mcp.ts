import { statSync } from 'node:fs';
import { isUserError } from '../../errors/index.js';
import type { DoctorCheck } from '../doctor-check.js';
import { findOnPath, isExecutableFile } from '../../fs/find-on-path.js';
import { entryScript, isOurEntry, mcpServerName, neededVars } from './entry.js';
import { configData, mcpConfigFile, readMcpEntry } from './register.js';

/**
 * The MCP registration `install --mcp` writes, in the user's and this project's config.toml:
 * none is fine (it is optional); one of orch-prompt's must run a node and a script that are
 * there, let `codex exec` call its tools, and forward what workers need.
 */
export function mcpChecks(options: { cwd: string; env: Readonly<Record<string, string | undefined>> }): DoctorCheck[] {
  const files = [mcpConfigFile({ cwd: options.cwd, env: options.env }), mcpConfigFile({ project: true, cwd: options.cwd, env: options.env })];
  const checks: DoctorCheck[] = [];
  for (const [i, file] of files.entries()) {
    const fix = `orch-prompt install --mcp${i === 1 ? ' --project' : ''}`;
    let entry: Record<string, unknown> | undefined;
    try {
      entry = readMcpEntry(file);
    } catch (error) {
      if (!isUserError(error)) throw error;
      checks.push({ id: 'mcp', ok: false, message: error.message, fix: `fix ${file}; Codex cannot read it either` });
      continue;
    }
    if (entry === undefined) continue;
    if (!isOurEntry(entry)) {
      checks.push({ id: 'mcp', ok: true, message: `mcp_servers.${mcpServerName} in ${file} is not orch-prompt's; install --mcp leaves it alone` });
      continue;
    }
    checks.push(entryCheck(file, entry, fix, { ...configData(files[0] as string), ...(i === 1 ? configData(file) : {}) }));
  }
  if (checks.length === 0) checks.push({ id: 'mcp', ok: true, message: `the MCP server is not registered (optional): \`orch-prompt install --mcp\` lets a Codex session whose shell has no network run workers through its tools` });
  return checks;
}

function entryCheck(file: string, entry: Record<string, unknown>, fix: string, config: Record<string, unknown>): DoctorCheck {
  const problem = (message: string): DoctorCheck => ({ id: 'mcp', ok: false, message: `${file}: mcp_servers.${mcpServerName} ${message}`, fix });
  const command = typeof entry['command'] === 'string' ? entry['command'] : '';
  if (!(command.includes('/') ? isExecutableFile(command) : findOnPath(command, process.env) !== undefined)) return problem(`runs \`${command}\`, which is not an executable`);
  const script = entryScript(entry);
  if (!isFile(script)) return problem(`runs ${script}, which is not there (the skill was moved or removed)`);
  if (entry['default_tools_approval_mode'] !== 'approve') return problem('does not set default_tools_approval_mode = "approve": under `codex exec` (approval policy never) every call of start_run fails with "MCP tool call requires approval"');
  const given = Array.isArray(entry['env_vars']) ? entry['env_vars'] : [];
  const missing = neededVars(config).filter((name) => !given.includes(name));
  if (missing.length > 0) return problem(`does not forward ${missing.join(', ')} (env_vars): Codex starts the server with a rebuilt environment, so its workers would not find their Codex home or model key`);
  return { id: 'mcp', ok: true, message: `the MCP server \`${mcpServerName}\` is registered in ${file} (${script}); Codex offers its tools as mcp__${mcpServerName}` };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

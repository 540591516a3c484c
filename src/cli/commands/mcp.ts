import { serveStdio } from '../../mcp/serve.js';
import type { Command } from '../command.js';
import { version } from '../version.js';

/** `orch-prompt mcp`: the runner as an MCP server on stdio. */
export const command: Command = {
  name: 'mcp',
  summary: 'Serve the runner as MCP tools on stdio (for Codex: install --mcp registers it).',
  usage: 'mcp',
  description:
    'Speaks the Model Context Protocol on standard input and output, for the folder it is started in: list_templates, render_prompt, lint_templates, start_run, get_run, wait_run, cancel_run and list_runs. Codex starts it from [mcp_servers.orch] in config.toml (`orch-prompt install --mcp` writes that entry) outside the sandbox, so its workers reach the model even when the session\'s shell has no network. It acts only in its folder and that folder\'s .orch/runs/; runs it starts outlive the call that started them and are canceled when it stops (stdin closed, SIGTERM). Details: docs/mcp.md.',
  flags: [],
  examples: ['mcp', 'install --mcp', 'doctor'],
  async run(_args, io) {
    await serveStdio({ cwd: io.cwd, env: io.env, version: version(), stdin: process.stdin, stdout: process.stdout, stderr: io.stderr, ...(io.signal ? { signal: io.signal } : {}), ...(io.onKill ? { onKill: io.onKill } : {}), ...(io.onExit ? { onExit: io.onExit } : {}) });
    return 0;
  },
};

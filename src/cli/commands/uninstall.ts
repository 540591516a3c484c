import type { Command } from '../command.js';
import { runInstall, targetFlags } from './install.js';

/** `orch-prompt uninstall`. */
export const command: Command = {
  name: 'uninstall',
  summary: 'Remove the installed skill (refuses edited folders unless --force).',
  usage: 'uninstall [--target codex|agents|openclaw] [--project] [--dest DIR] [--force] [--dry-run] [--no-agents] [--mcp]',
  description:
    'Removes <skills folder>/codex-orchestration/ when orch-prompt installed it and nobody changed it since, and with --target codex the custom agents it wrote (exactly those its .orch-agents.json lists; your own agents stay). With --force an edited or foreign folder, or an edited agent file, is removed too, and kept as a backup in .orch-skill-backups/ beside the skills (or agents) folder. The MCP server entry install --mcp wrote goes too when it runs the removed skill\'s script; --mcp removes it wherever its script is (an entry of that name orch-prompt did not write stays).',
  flags: targetFlags,
  examples: ['uninstall', 'uninstall --mcp', 'uninstall --target agents --dry-run'],
  run: (args, io) => runInstall('uninstall', args, io),
};

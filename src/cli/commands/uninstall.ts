import type { Command } from '../command.js';
import { runInstall, targetFlags } from './install.js';

/** `orch-prompt uninstall`. */
export const command: Command = {
  name: 'uninstall',
  summary: 'Remove the installed skill (refuses edited folders unless --force).',
  usage: 'uninstall [--target codex|agents|openclaw] [--project] [--dest DIR] [--force] [--dry-run]',
  description:
    'Removes <skills folder>/codex-orchestration/ when orch-prompt installed it and nobody changed it since. With --force an edited or foreign folder is removed too, and kept as a backup in .orch-skill-backups/ beside the skills folder.',
  flags: targetFlags,
  examples: ['uninstall', 'uninstall --target agents --dry-run'],
  run: (args, io) => runInstall('uninstall', args, io),
};

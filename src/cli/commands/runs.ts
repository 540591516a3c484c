import { resolve } from 'node:path';
import { UserError } from '../../errors/index.js';
import { effectiveStatus, readManifest } from '../../run/manifest.js';
import { findRun, listRuns } from '../../run/run-list.js';
import type { Command } from '../command.js';
import { formatFlag, stringFlag } from '../flags.js';
import { runsDir } from '../../run/run-id.js';
import { summaryJson, summaryText } from '../views/run-summary.js';
import { runsTable } from '../views/runs-list.js';

/** `orch-prompt runs [show RUN]`. */
export const command: Command = {
  name: 'runs',
  summary: 'List past runs, or show one.',
  usage: 'runs [show RUN] [options]',
  description: `Lists the runs recorded under ${runsDir}/ (newest start first), or shows one run's workers and final messages. RUN is a run id, a unique prefix of one, or a run folder. A run whose manifest says running but whose runner is gone shows as interrupted; a folder whose manifest cannot be read shows as unreadable, with the reason.`,
  maxPositionals: 2,
  verbs: ['show'],
  flags: [
    { name: 'runs-dir', type: 'string', value: 'DIR', default: runsDir, description: 'Folder holding the run folders.' },
    formatFlag('Output format.'),
  ],
  examples: ['runs', 'runs show 20260101T000000Z-abc123', 'runs --format json'],
  async run(args, io) {
    const root = resolve(io.cwd, stringFlag(args.flags, 'runs-dir') ?? runsDir);
    const json = stringFlag(args.flags, 'format') === 'json';
    const [verb, target] = args.positionals;
    if (verb !== undefined && verb !== 'show') throw new UserError('usage', `runs: expected \`show RUN\`, got \`${verb}\``);
    if (verb === 'show') {
      if (target === undefined) throw new UserError('usage', 'runs show: which run? Give a run id or folder (see `orch-prompt runs`)');
      const found = findRun(root, resolve(io.cwd, target), target);
      if ('error' in found) {
        throw new UserError('usage', found.error === 'ambiguous' ? `runs show: \`${target}\` matches ${found.matches} runs; give more of the id` : `runs show: no run \`${target}\` (see \`orch-prompt runs\`)`);
      }
      const { dir } = found;
      const manifest = readManifest(dir);
      if (manifest === null) throw new UserError('usage', `runs show: ${dir} has no manifest.json`);
      const status = effectiveStatus(manifest);
      io.stdout.write(json ? `${JSON.stringify(summaryJson(dir, manifest, status), null, 2)}\n` : summaryText(dir, manifest, status));
      return 0;
    }
    const rows = listRuns(root);
    io.stdout.write(json ? `${JSON.stringify(rows, null, 2)}\n` : runsTable(root, rows));
    return 0;
  },
};

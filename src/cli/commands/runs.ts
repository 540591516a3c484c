import { resolve } from 'node:path';
import { effectiveStatus, readManifest } from '../../run/manifest.js';
import { RunError } from '../../run/run-error.js';
import { findRun, listRuns } from '../../run/run-list.js';
import { applyCloudWorker } from '../../run/cloud/cloud-apply.js';
import type { Command } from '../command.js';
import type { CliIo } from '../io.js';
import type { ParsedArgs } from '../flags.js';
import { safeLine } from '../views/safe-line.js';
import { CliError, UsageError } from '../errors.js';
import { stringFlag } from '../flags.js';
import { runsDir } from '../../run/run-id.js';
import { summaryJson, summaryText } from '../views/run-summary.js';
import { runsTable } from '../views/runs-list.js';

/** `orch-prompt runs [show RUN]`. */
export const command: Command = {
  name: 'runs',
  summary: 'List past runs, or show one.',
  usage: 'runs [show RUN | apply RUN WORKER] [options]',
  description: `Lists the runs recorded under ${runsDir}/ (newest start first), or shows one run's workers and final messages. RUN is a run id, a unique prefix of one, or a run folder. A run whose manifest says running but whose runner is gone shows as interrupted; a folder whose manifest cannot be read shows as unreadable, with the reason.`,
  maxPositionals: 3,
  flags: [
    { name: 'runs-dir', type: 'string', value: 'DIR', default: runsDir, description: 'Folder holding the run folders.' },
    { name: 'format', type: 'string', value: 'FORMAT', choices: ['text', 'json'], default: 'text', description: 'Output format.' },
    { name: 'attempt', type: 'string', value: 'N', integer: { min: 1, max: 4 }, description: "runs apply: which best-of-N attempt of a cloud worker's task to apply (default 1)." },
  ],
  examples: ['runs', 'runs show 20260101T000000Z-abc123', 'runs --format json', 'runs apply 20260101T000000Z-abc123 fix --attempt 2'],
  async run(args, io) {
    const root = resolve(io.cwd, stringFlag(args.flags, 'runs-dir') ?? runsDir);
    const json = stringFlag(args.flags, 'format') === 'json';
    const [verb, target] = args.positionals;
    if (verb !== undefined && verb !== 'show' && verb !== 'apply') throw new UsageError(`runs: expected \`show RUN\` or \`apply RUN WORKER\`, got \`${verb}\``);
    if (verb === 'apply') return applyVerb(root, args.positionals.slice(1), args, io, json);
    if (verb === 'show') {
      if (target === undefined) throw new UsageError('runs show: which run? Give a run id or folder (see `orch-prompt runs`)');
      const found = findRun(root, resolve(io.cwd, target), target);
      if ('error' in found) {
        throw new UsageError(found.error === 'ambiguous' ? `runs show: \`${target}\` matches ${found.matches} runs; give more of the id` : `runs show: no run \`${target}\` (see \`orch-prompt runs\`)`);
      }
      const { dir } = found;
      let manifest;
      try {
        manifest = readManifest(dir);
      } catch (error) {
        if (error instanceof RunError) throw new CliError(`runs show: ${error.message}`, 1);
        throw error;
      }
      if (manifest === null) throw new UsageError(`runs show: ${dir} has no manifest.json`);
      const status = effectiveStatus(manifest);
      io.stdout.write(json ? `${JSON.stringify(summaryJson(dir, manifest, status), null, 2)}\n` : summaryText(dir, manifest, status));
      return 0;
    }
    const rows = listRuns(root);
    io.stdout.write(json ? `${JSON.stringify(rows, null, 2)}\n` : runsTable(root, rows));
    return 0;
  },
};

/**
 * `runs apply RUN WORKER [--attempt N]`. Cloud workers only on this branch: their diff is applied
 * through `codex cloud apply` (src/run/cloud/cloud-apply.ts); the dispatch is on the record's
 * executor, so a local worker's apply can be added beside it.
 */
async function applyVerb(root: string, positionals: readonly string[], args: ParsedArgs, io: CliIo, json: boolean): Promise<number> {
  const [target, workerId] = positionals;
  if (target === undefined || workerId === undefined) throw new UsageError('runs apply: expected `runs apply RUN WORKER [--attempt N]`');
  const found = findRun(root, resolve(io.cwd, target), target);
  if ('error' in found) throw new UsageError(found.error === 'ambiguous' ? `runs apply: \`${target}\` matches ${found.matches} runs; give more of the id` : `runs apply: no run \`${target}\` (see \`orch-prompt runs\`)`);
  let manifest;
  try {
    manifest = readManifest(found.dir);
  } catch (error) {
    if (error instanceof RunError) throw new CliError(`runs apply: ${error.message}`, 1);
    throw error;
  }
  if (manifest === null) throw new UsageError(`runs apply: ${found.dir} has no manifest.json`);
  const record = manifest.workers.find((w) => w.id === workerId);
  if (record === undefined) throw new UsageError(`runs apply: no worker \`${workerId}\` in ${found.dir} (workers: ${manifest.workers.map((w) => w.id).join(', ')})`);
  if (record.executor !== 'cloud') throw new UsageError(`runs apply: \`${workerId}\` ran locally; its changes are already in its folder (runs apply applies cloud workers' diffs)`);
  const attempt = stringFlag(args.flags, 'attempt');
  const applied = await applyCloudWorker(found.dir, manifest, record, { env: io.env, ...(attempt !== undefined ? { attempt: Number(attempt) } : {}) });
  io.stdout.write(json ? `${JSON.stringify(applied, null, 2)}\n` : `${safeLine(`${applied.worker}: applied attempt ${applied.attempt} of Codex Cloud task ${applied.task} in ${applied.workTree}: ${applied.message}`)}\n`);
  return 0;
}

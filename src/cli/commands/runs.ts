import { resolve } from 'node:path';
import { UserError } from '../../errors/index.js';
import { applyWorker } from '../../run/core/apply-worker.js';
import { effectiveStatus, readManifest } from '../../run/record/manifest.js';
import { findRun, listRuns } from '../../run/record/run-list.js';
import { cleanRun } from '../../run/local/worktree/clean-run.js';
import { drainPool, poolFolderProblem, type DrainedSlot } from '../../run/local/worktree/pool.js';
import type { Command } from '../command.js';
import type { CliIo } from '../io.js';
import { openRunToChange, type RunToChange } from '../../run/record/trusted-run.js';
import { formatFlag, stringFlag } from '../flags.js';
import { applyCloudWorker } from '../../run/cloud/cloud-apply.js';
import { projectRunsDir, runsDir } from '../../run/record/run-id.js';
import { diffstatText, summaryJson, summaryText } from '../views/run-summary.js';
import { runsTable } from '../views/runs-list.js';
import { safeLine } from '../views/safe-line.js';

const verbs = ['show', 'apply', 'clean'];

/** `orch-prompt runs [show RUN | apply RUN WORKER | clean RUN | clean --pool]`. */
export const command: Command = {
  name: 'runs',
  summary: 'List past runs, show one, apply or clean its worktrees.',
  usage: 'runs [show RUN | apply RUN WORKER | clean RUN | clean --pool] [options]',
  description: `Lists the runs recorded under ${runsDir}/ (newest start first), or shows one run's workers and final messages. RUN is a run id, a unique prefix of one, or a run folder. A run whose manifest says running but whose runner is gone shows as interrupted; a folder whose manifest cannot be read shows as unreadable, with the reason. \`apply RUN WORKER\` merges the branch of a worker that ran in its own worktree (--isolation worktree) into the current branch: all or nothing, conflicts are listed and nothing is applied; for a Codex Cloud worker it applies the diff of one attempt (--attempt N) through \`codex cloud apply\`, refusing a dirty tree. \`clean RUN\` removes the run's worktrees and their branches; \`clean --pool\` removes the worktrees this repository keeps for reuse in .git/orch-prompt/worktrees (see \`run --worktree-pool\`).`,
  maxPositionals: 3,
  verbs,
  flags: [
    { name: 'runs-dir', type: 'string', value: 'DIR', default: runsDir, description: 'Folder holding the run folders.' },
    formatFlag('Output format.'),
    { name: 'pool', type: 'boolean', description: 'runs clean: also (or, without RUN, only) remove the worktrees this repository keeps for reuse.' },
    { name: 'attempt', type: 'string', value: 'N', integer: { min: 1, max: 4 }, description: "runs apply: which best-of-N attempt of a cloud worker's task to apply (default 1)." },
  ],
  examples: ['runs', 'runs show 20260101T000000Z-abc123', 'runs apply 20260101T000000Z-abc123 fix', 'runs apply 20260101T000000Z-abc123 fix --attempt 2', 'runs clean 20260101T000000Z-abc123', 'runs clean --pool', 'runs --format json'],
  async run(args, io) {
    const given = stringFlag(args.flags, 'runs-dir') ?? runsDir;
    const root = given === runsDir ? projectRunsDir(io.cwd, 'runs') : resolve(io.cwd, given);
    const json = stringFlag(args.flags, 'format') === 'json';
    const [verb, target, workerId] = args.positionals;
    const pool = args.flags['pool'] === true;
    if (pool && verb !== 'clean') throw new UserError('usage', `runs${verb === undefined ? '' : ` ${safeLine(verb)}`}: --pool is for \`runs clean\``);
    if (verb === undefined) {
      const rows = listRuns(root);
      io.stdout.write(json ? `${JSON.stringify(rows, null, 2)}\n` : runsTable(root, rows));
      return 0;
    }
    if (!verbs.includes(verb)) throw new UserError('usage', `runs: expected \`show RUN\`, \`apply RUN WORKER\` or \`clean RUN\`, got \`${safeLine(verb)}\``);
    if (pool && target === undefined) {
      const drained = await cleanPool(io.cwd, io.env);
      io.stdout.write(json ? `${JSON.stringify({ pool: drained }, null, 2)}\n` : poolLines(drained));
      return 0;
    }
    if (target === undefined) throw new UserError('usage', `runs ${verb}: which run? Give a run id or folder (see \`orch-prompt runs\`)`);
    if (verb === 'apply' && workerId === undefined) throw new UserError('usage', 'runs apply: which worker? Give RUN WORKER (see `orch-prompt runs show RUN`)');
    if (verb !== 'apply' && workerId !== undefined) throw new UserError('usage', `runs ${verb}: unexpected \`${safeLine(workerId)}\`; it takes one run`);
    const dir = findRunDir(root, target, verb, io.cwd);
    if (verb === 'show') {
      const manifest = readManifest(dir);
      if (manifest === null) throw new UserError('usage', `runs show: ${dir} has no manifest.json`);
      const status = effectiveStatus(manifest, dir);
      io.stdout.write(json ? `${JSON.stringify(summaryJson(dir, manifest, status), null, 2)}\n` : summaryText(dir, manifest, status));
      return 0;
    }
    // Acting on what a run left takes a run this user's orch-prompt wrote, owned by no runner.
    const run = openRunToChange(dir, `runs ${verb}`, io.env);
    try {
      if (verb === 'apply') return await apply(dir, run, workerId as string, { attempt: stringFlag(args.flags, 'attempt'), json, io });
      const cleaned = await cleanRun(dir, run.manifest, run.key, io.env);
      const drained = pool ? await cleanPool(io.cwd, io.env) : undefined;
      if (json) io.stdout.write(`${JSON.stringify({ id: run.manifest.id, removed: cleaned, ...(drained ? { pool: drained } : {}) }, null, 2)}\n`);
      else {
        if (cleaned.length === 0) io.stdout.write(`run ${safeLine(run.manifest.id)}: no worktree to remove\n`);
        else io.stdout.write(cleaned.map((c) => `removed ${safeLine(c.worker)}: worktree ${safeLine(c.path)}, branch ${safeLine(c.branch)}\n`).join(''));
        if (drained) io.stdout.write(poolLines(drained));
      }
    } finally {
      run.lock.release();
    }
    return 0;
  },
};

/** Remove the worktree pool of the repository at `cwd`; one line and exit 1 when one stayed. */
async function cleanPool(cwd: string, env: Readonly<Record<string, string | undefined>>): Promise<DrainedSlot[]> {
  const problem = poolFolderProblem(cwd, env);
  if (problem !== null) throw new UserError('run-folder-unsafe', `runs clean --pool: ${safeLine(problem)}`);
  const drained = await drainPool(cwd, env);
  if (drained === null) throw new UserError('usage', `runs clean --pool: ${safeLine(cwd)} is not in a git repository`);
  const stayed = drained.filter((slot) => slot.error !== undefined);
  if (stayed.length > 0) throw new UserError('clean-failed', `runs clean --pool: cannot remove ${safeLine(stayed[0]?.path ?? '')}: ${safeLine(stayed[0]?.error ?? '')}${stayed.length > 1 ? ` (and ${stayed.length - 1} more)` : ''}`);
  return drained;
}

function poolLines(drained: readonly DrainedSlot[]): string {
  return drained.length === 0 ? 'no pooled worktree to remove\n' : drained.map((slot) => `removed pooled worktree ${safeLine(slot.path)}\n`).join('');
}

/** `runs apply RUN WORKER`: the worker's record says how: a cloud task's diff, or a worktree's branch. */
async function apply(dir: string, run: RunToChange, workerId: string, options: { attempt: string | undefined; json: boolean; io: CliIo }): Promise<number> {
  const { manifest, key } = run;
  const { attempt, json, io } = options;
  const record = manifest.workers.find((w) => w.id === workerId);
  if (record?.executor === 'cloud') {
    const codexBin = io.env['CODEX_BIN'] ?? manifest.options.codexBin;
    const applied = await applyCloudWorker(dir, manifest, record, { env: io.env, codexBin, key, ...(attempt !== undefined ? { attempt: Number(attempt) } : {}) });
    io.stdout.write(json ? `${JSON.stringify(applied, null, 2)}\n` : `${safeLine(`${applied.worker}: applied attempt ${applied.attempt} of Codex Cloud task ${applied.task} in ${applied.workTree}: ${applied.message}`)}\n`);
    return 0;
  }
  if (attempt !== undefined && record !== undefined) throw new UserError('usage', `runs apply: --attempt is for Codex Cloud workers; \`${safeLine(record.id)}\` ran locally`);
  const applied = await applyWorker(manifest, workerId, { cwd: io.cwd, env: io.env });
  const what = applied.commit === null ? `already in ${safeLine(applied.into)}` : `merged into ${safeLine(applied.into)} (${applied.commit.slice(0, 12)})`;
  io.stdout.write(json ? `${JSON.stringify(applied, null, 2)}\n` : `${safeLine(applied.worker)}: ${safeLine(applied.branch)} ${what}, ${diffstatText(applied.diffstat)}\n`);
  return 0;
}

/** The folder of the run named by `target`, or a one-line error. */
function findRunDir(root: string, target: string, verb: string, cwd: string): string {
  const found = findRun(root, resolve(cwd, target), target);
  if ('error' in found) {
    throw new UserError('usage', found.error === 'ambiguous' ? `runs ${verb}: \`${safeLine(target)}\` matches ${found.matches} runs; give more of the id` : `runs ${verb}: no run \`${safeLine(target)}\` (see \`orch-prompt runs\`)`);
  }
  return found.dir;
}

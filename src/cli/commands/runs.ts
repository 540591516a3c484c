import { resolve } from 'node:path';
import { UserError } from '../../errors/index.js';
import { applyWorker, cleanRun, effectiveStatus, executors, listRuns, openRunToChange, planResume, projectRunsDir, readManifest, runDirNamed, runKinds, runsDir } from '../../run/index.js';
import type { Command } from '../command.js';
import { formatFlag, stringFlag, type ParsedArgs } from '../flags.js';
import type { CliIo } from '../io.js';
import { givenSettings, setFlag, settingFlags } from '../run-settings.js';
import { summaryJson } from '../../front/run-view.js';
import { summaryText } from '../views/run-summary.js';
import { runsTable } from '../views/runs-list.js';
import { safeLine } from '../views/safe-line.js';
import { cleanPool, poolLines } from './runs-pool.js';
import { runPlanned } from './run-planned.js';

const kinds = runKinds(executors);
const verbs = ['show', 'resume', 'apply', 'clean'];
/** What `runs resume` may change: the limits, never what a worker is. */
const resumable = kinds.settings.filter((s) => s.resume);

/** `orch-prompt runs [show RUN | resume RUN | apply RUN WORKER | clean RUN | clean --pool]`. */
export const command: Command = {
  name: 'runs',
  summary: 'List past runs; show, resume, apply or clean one.',
  usage: 'runs [show RUN | resume RUN | apply RUN WORKER | clean RUN | clean --pool] [options]',
  description: `Lists the runs recorded under ${runsDir}/ (newest start first), or acts on one. RUN is a run id, a unique prefix of one, or a run folder. A run whose manifest says running but whose folder no runner owns shows as interrupted; a folder whose manifest cannot be read shows as unreadable, with the reason. \`resume RUN\` runs again, in its folder, every worker that did not succeed and every worker downstream of a result that changed; it may change the limits (--max-parallel, --timeout, --retries, --fail-fast, --budget, and with --set: ${resumable.map((s) => s.name).join(', ')}), never what a worker is. \`apply RUN WORKER\` applies what a worker left: a worktree's branch merged into the current branch (all or nothing), or a Codex Cloud task's diff (--attempt N). \`clean RUN\` removes the run's worktrees and their branches; \`clean --pool\` the worktrees this repository keeps for reuse. Resume, apply and clean act only on a run your orch-prompt recorded (its sealed manifest).`,
  maxPositionals: 3,
  verbs,
  flags: [
    { name: 'runs-dir', type: 'string', value: 'DIR', default: runsDir, description: 'Folder holding the run folders.' },
    ...settingFlags(resumable, (s) => s.flag === true),
    setFlag(resumable),
    { name: 'dry-run', type: 'boolean', description: 'runs resume: print what would run again; run nothing.' },
    { name: 'pool', type: 'boolean', description: 'runs clean: also (or, without RUN, only) remove the worktrees this repository keeps for reuse.' },
    { name: 'attempt', type: 'string', value: 'N', integer: { min: 1, max: 4 }, description: "runs apply: which best-of-N attempt of a cloud worker's task to apply (default 1)." },
    formatFlag('Output format.'),
  ],
  examples: ['runs', 'runs show 20260101T000000Z-abc123', 'runs resume 20260101T000000Z-abc123 --budget 400000', 'runs apply 20260101T000000Z-abc123 fix', 'runs apply 20260101T000000Z-abc123 fix --attempt 2', 'runs clean 20260101T000000Z-abc123', 'runs clean --pool', 'runs --format json'],
  async run(args, io) {
    const given = stringFlag(args.flags, 'runs-dir') ?? runsDir;
    const root = given === runsDir ? projectRunsDir(io.cwd, 'runs') : resolve(io.cwd, given);
    const json = stringFlag(args.flags, 'format') === 'json';
    const [verb, target, workerId] = args.positionals;
    checkVerb(verb, target, workerId, args);
    if (verb === undefined) {
      const rows = listRuns(root, kinds);
      io.stdout.write(json ? `${JSON.stringify(rows, null, 2)}\n` : runsTable(root, rows));
      return 0;
    }
    if (args.flags['pool'] === true && target === undefined) {
      const drained = await cleanPool(io.cwd, io.env);
      io.stdout.write(json ? `${JSON.stringify({ pool: drained }, null, 2)}\n` : poolLines(drained));
      return 0;
    }
    const dir = findRunDir(root, target as string, verb, io.cwd);
    if (verb === 'show') return show(dir, json, io);
    if (verb === 'resume') return runPlanned(planResume(dir, { env: io.env, kinds, given: givenSettings(kinds.settings, args, 'runs resume') }), { io, format: json ? 'json' : 'text', dryRun: args.flags['dry-run'] === true });
    // Acting on what a run left takes a run this user's orch-prompt wrote, owned by no runner.
    const run = openRunToChange(dir, `runs ${verb}`, io.env, kinds);
    try {
      if (verb === 'apply') {
        const attempt = stringFlag(args.flags, 'attempt');
        const applied = await applyWorker(dir, run, workerId as string, { executors, cwd: io.cwd, env: io.env, ...(attempt !== undefined ? { attempt: Number(attempt) } : {}), ...(io.env['CODEX_BIN'] ? { codexBin: io.env['CODEX_BIN'] } : {}) });
        io.stdout.write(json ? `${JSON.stringify(applied, null, 2)}\n` : `${safeLine(`${applied.worker}: ${applied.summary}`)}\n`);
        return 0;
      }
      const cleaned = await cleanRun(dir, run, { executors, env: io.env });
      const drained = args.flags['pool'] === true ? await cleanPool(io.cwd, io.env) : undefined;
      if (json) io.stdout.write(`${JSON.stringify({ id: run.manifest.id, removed: cleaned, ...(drained ? { pool: drained } : {}) }, null, 2)}\n`);
      else {
        io.stdout.write(cleaned.length === 0 ? `run ${safeLine(run.manifest.id)}: no worktree to remove\n` : cleaned.map((c) => `removed ${safeLine(c.worker)}: ${safeLine(c.summary)}\n`).join(''));
        if (drained) io.stdout.write(poolLines(drained));
      }
      return 0;
    } finally {
      run.lock.release();
    }
  },
};

/** What each verb takes; anything else is a one-line usage error. */
function checkVerb(verb: string | undefined, target: string | undefined, workerId: string | undefined, args: ParsedArgs): void {
  const pool = args.flags['pool'] === true;
  if (pool && verb !== 'clean') throw new UserError('usage', `runs${verb === undefined ? '' : ` ${safeLine(verb)}`}: --pool is for \`runs clean\``);
  if (verb === undefined) return;
  if (!verbs.includes(verb)) throw new UserError('usage', `runs: expected \`show RUN\`, \`resume RUN\`, \`apply RUN WORKER\` or \`clean RUN\`, got \`${safeLine(verb)}\``);
  const settingsGiven = [...args.given].filter((name) => name === 'set' || resumable.some((s) => s.name === name));
  if (verb !== 'resume' && (settingsGiven.length > 0 || args.given.has('dry-run'))) throw new UserError('usage', `runs ${verb}: --${settingsGiven[0] ?? 'dry-run'} is for \`runs resume\``);
  if (pool && target === undefined) return;
  if (target === undefined) throw new UserError('usage', `runs ${verb}: which run? Give a run id or folder (see \`orch-prompt runs\`)`);
  if (verb === 'apply' && workerId === undefined) throw new UserError('usage', 'runs apply: which worker? Give RUN WORKER (see `orch-prompt runs show RUN`)');
  if (verb !== 'apply' && workerId !== undefined) throw new UserError('usage', `runs ${verb}: unexpected \`${safeLine(workerId)}\`; it takes one run`);
}

function show(dir: string, json: boolean, io: CliIo): number {
  const manifest = readManifest(dir, kinds);
  if (manifest === null) throw new UserError('usage', `runs show: ${dir} has no manifest.json`);
  const status = effectiveStatus(manifest, dir);
  io.stdout.write(json ? `${JSON.stringify(summaryJson(dir, manifest, status), null, 2)}\n` : summaryText(dir, manifest, status, executors));
  return 0;
}

/** The folder of the run named by `target`, or a one-line error. */
function findRunDir(root: string, target: string, verb: string, cwd: string): string {
  return runDirNamed(root, resolve(cwd, target), target, `runs ${verb}`, safeLine(target));
}

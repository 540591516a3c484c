import { UserError } from '../../errors/index.js';
import { checkArgumentValue } from '../executor/argument-value.js';
import type { Executor } from '../executor/executor.js';
import type { ExecutorRecord, WorkerRecord } from '../record/model.js';
import { codexArgs, sandboxFor } from './codex-args.js';
import { insideGitWorkTree } from '../git/work-tree.js';
import { isolateWorker } from './isolate.js';
import { localAttempt } from './local-attempt.js';
import type { Isolation, LocalConfig, LocalRecord } from './model.js';
import { planLocal } from './plan-local.js';
import { preflight } from './preflight.js';
import { checkLocalRecord, localRecordSchema } from './record-schema.js';
import { localSettings, localSettingsTable } from './settings.js';
import { applyWorktreeBranch } from './worktree/apply-branch.js';
import { cleanWorktrees } from './worktree/clean-run.js';
import { diffstatText, worktreeLines } from './summary.js';
import { endStaleWorker } from './process-tree.js';
import { workerPaths } from '../record/worker-files.js';

/**
 * The local executor: `codex exec` on this machine, one process per attempt (local-attempt.ts),
 * an editing worker optionally in a git worktree of its own (worktree/), what the worker left
 * applied by merging its branch and cleaned up by removing its worktree.
 */
export const localExecutor: Executor<LocalConfig> = {
  kind: 'local',
  summary: 'codex exec on this machine',
  settings: localSettingsTable,
  planKeys: { isolation: { enum: ['none', 'worktree'] } },
  configure({ keys, arg, settings, where, edits }) {
    if (arg !== undefined) throw new UserError('usage', `run: ${where}: the local executor takes no argument (\`--executor local\`)`);
    const { profile } = localSettings(settings);
    if (profile !== undefined) checkArgumentValue(profile, 'the Codex profile', where);
    const isolation = keys['isolation'] as Isolation | undefined;
    if (isolation === 'worktree' && !edits) throw new UserError('worker-invalid', `run: ${where}: \`isolation: worktree\` is for editing roles, and this role does not edit; remove it`);
    return { inGitRepo: false, ...(isolation !== undefined ? { isolation } : {}) };
  },
  plan: planLocal,
  recordSchema: localRecordSchema,
  checkRecord: checkLocalRecord,
  newRecord(spec) {
    const config = spec.executor.config as LocalConfig;
    const record: LocalRecord = { kind: 'local', ...(config.worktree ? { worktree: { ...config.worktree, state: 'planned' as const } } : {}) };
    return record as unknown as ExecutorRecord;
  },
  command: (spec, settings, paths) => [settings.codexBin, ...codexArgs(spec, settings, paths)],
  sandbox: (spec, settings) => sandboxFor(spec, settings),
  resume(record: WorkerRecord, _settings, env) {
    // A worktree the worker already has (kept, with a snapshot of from-dirty) is worked on again.
    const tree = (record.executor as unknown as LocalRecord).worktree;
    return { inGitRepo: tree !== undefined || insideGitWorkTree(record.cwd, env), ...(tree ? { worktree: { ...tree } } : {}) };
  },
  async preflight({ settings, runDir, env }) {
    const local = localSettings(settings);
    const found = await preflight({ env, runDir, config: local.config, ...(local.profile !== undefined ? { profile: local.profile } : {}) });
    return { message: found.ok ? null : found.message, ...(found.endpoint ? { endpoint: found.endpoint.urls[0] as string } : {}) };
  },
  setsApart: (spec) => (spec.executor.config as LocalConfig).worktree !== undefined,
  async recover(record, runDir) {
    // Its workers are detached: a worker whose command line still names its `-o` file (a reused
    // process id is never touched), and every process carrying its mark, are ended.
    const paths = workerPaths(runDir, record.id);
    // Without a recorded process id (the runner died before saving it), the mark still finds them.
    await endStaleWorker(record.pid ?? -1, paths.lastMessage, paths.dir, 2000);
  },
  isolate: isolateWorker,
  attempt: localAttempt,
  async apply(record, options) {
    if (options.attempt !== undefined) throw new UserError('usage', `runs apply: --attempt is for Codex Cloud workers; \`${record.id}\` ran locally`);
    const tree = (record.executor as unknown as LocalRecord).worktree;
    if (tree === undefined) throw new UserError('nothing-to-apply', `runs apply: worker \`${record.id}\` worked in the project folder itself (no worktree, no branch): its changes are already there`, { data: { worker: record.id } });
    const applied = await applyWorktreeBranch(record.id, tree, { cwd: options.cwd, env: options.env });
    const what = applied.commit === null ? `already in ${applied.into}` : `merged into ${applied.into} (${applied.commit.slice(0, 12)})`;
    return { kind: 'worktree', worker: record.id, ...applied, summary: `${applied.branch} ${what}, ${diffstatText(applied.diffstat)}` };
  },
  clean: cleanWorktrees,
  summaryLines: worktreeLines,
};

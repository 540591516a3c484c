import { gitSync } from '../git/git.js';
import { isAbsolute, join, normalize } from 'node:path';
import { UserError } from '../../errors/index.js';
import { isInside } from '../../fs/path-inside.js';
import { checkArgumentValue } from '../executor/argument-value.js';
import type { Executor } from '../executor/executor.js';
import type { ExecutorRecord } from '../record/model.js';
import { applyCloudWorker } from './cloud-apply.js';
import { cloudAttempt } from './cloud-attempt.js';
import { cloudExecArgs } from './cloud-command.js';
import type { CloudConfig, CloudRecord } from './model.js';
import { cloudRecordSchema } from './record-schema.js';
import { cloudSettings, cloudSettingsTable } from './settings.js';
import { stillInCloudLines } from './still-in-cloud.js';

/**
 * The cloud executor: each worker is a Codex Cloud task (`codex cloud exec --env ENV --attempts
 * N [--branch B] -`, the prompt on stdin), polled until it ends, its diffs collected; applying
 * one is `codex cloud apply`. A task is not ours to stop: after Ctrl-C it keeps running, and the
 * run says so.
 */
export const cloudExecutor: Executor<CloudConfig> = {
  kind: 'cloud',
  summary: 'a Codex Cloud task per worker in environment ENV_ID (cloud:ENV_ID)',
  settings: cloudSettingsTable,
  planKeys: {
    env: { type: 'string', minLength: 1, maxLength: 200 },
    attempts: { type: 'integer', minimum: 1, maximum: 4 },
    branch: { type: 'string', minLength: 1, maxLength: 1000 },
  },
  configure({ keys, arg, settings, where }) {
    const env = (keys['env'] as string | undefined) ?? arg;
    if (env === undefined || env === '') throw new UserError('usage', `run: ${where}: a cloud worker needs its Codex Cloud environment: --executor cloud:ENV_ID, or \`env:\` on the plan worker (see \`codex cloud\`)`);
    // `codex cloud exec` takes no output schema: a structured result could not be asked for.
    if (settings.structured) throw new UserError('usage', `run: ${where}: --structured needs codex exec's --output-schema, which codex cloud exec does not take; run this worker locally or without --structured`);
    const own = cloudSettings(settings);
    const branch = (keys['branch'] as string | undefined) ?? own.branch;
    checkArgumentValue(env, 'the Codex Cloud environment', where);
    if (branch !== undefined) checkArgumentValue(branch, '`branch`', where);
    return { env, attempts: (keys['attempts'] as number | undefined) ?? own.attempts, ...(branch !== undefined ? { branch } : {}) };
  },
  plan(workers) {
    // The cloud checks out a branch: the one asked for, else the project's current branch, named
    // now so that the record and the dry run show the command as it will run.
    for (const { spec } of workers) {
      const config = spec.executor.config as CloudConfig;
      if (config.branch !== undefined) continue;
      const branch = currentBranch(spec.cwd);
      if (branch !== null) config.branch = branch;
    }
  },
  recordSchema: cloudRecordSchema,
  checkRecord(record) {
    const problems: Array<[string, string]> = [];
    for (const [j, task] of (record.executor as unknown as CloudRecord).tasks.entries()) {
      for (const [k, diff] of task.diffs.entries()) {
        if (diff.file !== null && (isAbsolute(diff.file) || !isInside(normalize(join('/run', diff.file)), '/run'))) problems.push([`executor.tasks[${j}].diffs[${k}].file`, `\`${diff.file}\` leads outside the run folder`]);
      }
    }
    return { problems, cwdChecked: false };
  },
  newRecord(spec) {
    const config = spec.executor.config as CloudConfig;
    const record: CloudRecord = { kind: 'cloud', env: config.env, attempts: config.attempts, branch: config.branch ?? null, tasks: [] };
    return record as unknown as ExecutorRecord;
  },
  continueRecord(previous) {
    // Its tasks go on: one still pending is polled again, never sent twice.
    return previous;
  },
  command: (spec, settings) => [settings.codexBin, ...cloudExecArgs(spec.executor.config as CloudConfig)],
  sandbox: () => 'cloud',
  resume(record) {
    const { env, attempts, branch } = record.executor as unknown as CloudRecord;
    return { env, attempts, ...(branch !== null ? { branch } : {}) };
  },
  attempt: cloudAttempt,
  apply: (record, options) => applyCloudWorker(record, options),
  afterRun: stillInCloudLines,
};

/** The branch checked out in `cwd`, or null (not a git work tree, a detached HEAD, no git). */
function currentBranch(cwd: string): string | null {
  const result = gitSync(['symbolic-ref', '--short', '-q', 'HEAD'], { cwd });
  const branch = result.stdout.trim();
  return result.ok && branch !== '' ? branch : null;
}

import { existsSync, renameSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { UserError } from '../../errors/user-error.js';
import type { Applied, ApplyOptions } from '../executor/executor.js';
import type { WorkerRecord } from '../record/model.js';
import type { CloudRecord } from './model.js';
import { isInside } from '../../fs/path-inside.js';
import { workerPaths } from '../record/worker-files.js';
import { git as runGit } from '../git/git.js';
import { cloudError, runCloud } from './cloud-cli.js';

/**
 * Apply a cloud worker's diff to the project through `codex cloud apply TASK --attempt N`, run at
 * the top of the worker folder's git work tree (codex applies with `git apply` where it runs).
 * Refused, with nothing changed, when the work tree has changes of its own (the run folder aside):
 * a diff applied over them could not be told apart or undone. The manifest records what was applied.
 *
 * @throws {UserError} `cloud-apply-unavailable`, `cloud-apply-dirty-tree`, `cloud-apply-failed`.
 */
export async function applyCloudWorker(record: WorkerRecord, options: ApplyOptions): Promise<Applied> {
  const { runDir } = options;
  const cloud = record.executor as unknown as CloudRecord;
  const task = [...cloud.tasks].reverse().find((t) => t.state === 'ready' || t.state === 'applied');
  if (task === undefined) {
    const last = cloud.tasks.at(-1);
    throw new UserError('cloud-apply-unavailable', `runs apply: \`${record.id}\` has no finished Codex Cloud task to apply${last ? ` (its last task ${last.id} is ${last.state})` : ''}`);
  }
  const attempt = options.attempt ?? 1;
  if (attempt > cloud.attempts) throw new UserError('usage', `runs apply: --attempt ${attempt}: \`${record.id}\` ran ${cloud.attempts} attempt${cloud.attempts === 1 ? '' : 's'}`);
  const git = (args: string[]) => runGit(args, { cwd: record.cwd, env: options.env });
  const top = await git(['rev-parse', '--show-toplevel']);
  if (!top.ok) throw new UserError('cloud-apply-unavailable', `runs apply: ${record.cwd} is not in a git work tree; codex cloud apply applies with git`);
  const workTree = top.stdout.trim();
  // Dirty means any change but the run's own files (a run folder inside the project is untracked).
  const status = await git(['status', '--porcelain=v1', '-z', '--untracked-files=all']);
  const changed = status.stdout
    .split('\0')
    .filter((entry) => entry.length > 3)
    .map((entry) => entry.slice(3))
    .filter((path) => !isInside(resolve(workTree, path), resolve(runDir)));
  if (!status.ok || changed.length > 0) {
    const shown = changed.slice(0, 3).join(', ') + (changed.length > 3 ? `, and ${changed.length - 3} more` : '');
    throw new UserError('cloud-apply-dirty-tree', `runs apply: ${workTree} has uncommitted changes (${shown || 'git status failed'}); commit or stash them first, so that the applied diff stands alone`, { data: { changed } });
  }
  // codex writes error.log where it runs: keep it out of the project, with the worker's files.
  const errorLog = join(workTree, 'error.log');
  const hadErrorLog = existsSync(errorLog);
  const call = await runCloud(options.codexBin, ['apply', task.id, '--attempt', String(attempt)], { cwd: workTree, env: options.env, timeoutMs: 300_000, maxBytes: 1024 * 1024 });
  if (!hadErrorLog && existsSync(errorLog)) renameSync(errorLog, join(workerPaths(runDir, record.id).dir, 'apply-error.log'));
  const message = call.stdout.trim().split('\n').at(-1) ?? '';
  if (call.exitCode !== 0) throw new UserError('cloud-apply-failed', `runs apply: codex cloud apply ${task.id} --attempt ${attempt} failed: ${message !== '' ? message : cloudError(call)}`);
  Object.assign(task, { state: 'applied', appliedAttempt: attempt, appliedAt: new Date().toISOString() });
  options.save();
  const shown = relative(options.cwd, workTree) || '.';
  return { kind: 'cloud', worker: record.id, task: task.id, attempt, workTree: shown, message, summary: `applied attempt ${attempt} of Codex Cloud task ${task.id} in ${shown}: ${message}` };
}

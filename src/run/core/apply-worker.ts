import { UserError } from '../../errors/index.js';
import type { Manifest } from '../record/model.js';
import { applyWorktreeBranch, type AppliedBranch } from '../local/worktree/apply-branch.js';

/** What `runs apply` did, by where the worker's work lives. */
export type AppliedWork = { kind: 'worktree'; worker: string } & AppliedBranch;

/**
 * Apply a worker's work to the current branch, dispatching on what its record says it left:
 * a kept worktree branch today (another kind of result gets its own case here).
 *
 * @throws {UserError} `unknown-worker`, `nothing-to-apply`, or what the kind's apply throws.
 */
export async function applyWorker(manifest: Manifest, workerId: string, options: { cwd: string; env: Readonly<Record<string, string | undefined>> }): Promise<AppliedWork> {
  const record = manifest.workers.find((w) => w.id === workerId);
  if (!record) {
    const ids = manifest.workers.map((w) => `\`${w.id}\``).join(', ');
    throw new UserError('unknown-worker', `runs apply: run ${manifest.id} has no worker \`${workerId}\`, expected one of ${ids}`, { data: { worker: workerId } });
  }
  if (record.worktree) return { kind: 'worktree', worker: record.id, ...(await applyWorktreeBranch(record.id, record.worktree, options)) };
  throw new UserError('nothing-to-apply', `runs apply: worker \`${record.id}\` worked in the project folder itself (no worktree, no branch): its changes are already there`, { data: { worker: record.id } });
}

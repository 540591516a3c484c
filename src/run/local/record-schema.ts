import { join } from 'node:path';
import { isInside } from '../../fs/path-inside.js';
import type { RecordCheck } from '../record/manifest-schema.js';
import type { LocalRecord } from './model.js';
import { workerBranch } from './worktree/branch-name.js';

const sha = { type: 'string', pattern: '^[0-9a-f]{40,64}$' } as const;
const path = { type: 'string', minLength: 1, maxLength: 4096 } as const;

/** What a local worker's `executor` record must look like. */
export const localRecordSchema = {
  type: 'object',
  required: ['kind'],
  properties: {
    kind: { const: 'local' },
    worktree: {
      type: 'object',
      required: ['repo', 'base', 'branch', 'path', 'commonDir', 'fromDirty', 'state'],
      properties: {
        repo: path,
        base: sha,
        branch: { type: 'string', pattern: '^orch/[A-Za-z0-9._-]+/[a-z0-9][a-z0-9-]*$', maxLength: 400 },
        path,
        commonDir: path,
        fromDirty: { type: 'boolean' },
        state: { enum: ['planned', 'kept', 'removed'] },
        snapshot: sha,
        head: sha,
        diffstat: { type: 'object', required: ['files', 'insertions', 'deletions'], properties: { files: { type: 'integer', minimum: 0 }, insertions: { type: 'integer', minimum: 0 }, deletions: { type: 'integer', minimum: 0 } } },
        outside: { type: 'array', items: { type: 'string', maxLength: 4096 }, maxItems: 100_000 },
        error: { type: 'string', maxLength: 100_000 },
      },
    },
  },
} as const;

/**
 * What a schema cannot say of a local worker's record: an isolated worker's folder is its
 * worktree, always `<run>/<worker>/worktree`, on the branch of this worker in this run, and the
 * worker works inside it.
 */
export const checkLocalRecord: RecordCheck = (record, context) => {
  const tree = (record.executor as unknown as LocalRecord).worktree;
  if (tree === undefined) return { problems: [], cwdChecked: false };
  const folder = join(context.runDir, record.id, 'worktree');
  const problems: Array<[string, string]> = [];
  if (tree.path !== folder) problems.push(['executor.worktree.path', `\`${tree.path}\` is not the worker's worktree folder ${folder}`]);
  const branch = workerBranch(context.manifestId, record.id);
  if (tree.branch !== branch) problems.push(['executor.worktree.branch', `\`${tree.branch}\` is not the branch of this worker in run ${context.manifestId} (${branch})`]);
  if (!tree.repo.startsWith('/')) problems.push(['executor.worktree.repo', 'must be an absolute path']);
  if (!record.cwd.startsWith('/') || !isInside(record.cwd, folder)) problems.push(['cwd', `\`${record.cwd}\` is not inside the worker's worktree ${folder}`]);
  return { problems, cwdChecked: true };
};

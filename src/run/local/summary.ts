import type { Manifest } from '../record/model.js';
import type { DiffStat, LocalRecord } from './model.js';

/** `2 files changed, +10 -3`. */
export function diffstatText(stat: DiffStat | undefined): string {
  if (!stat) return 'changes not counted';
  return `${stat.files} file${stat.files === 1 ? '' : 's'} changed, +${stat.insertions} -${stat.deletions}`;
}

/** Kept worktrees: the worker, its branch, what it changed, where it is, and how to apply it. */
export function worktreeLines(manifest: Manifest): string[] {
  const trees = manifest.workers.flatMap((w) => {
    const tree = (w.executor as unknown as LocalRecord).worktree;
    return w.executor.kind === 'local' && tree !== undefined ? [{ id: w.id, tree }] : [];
  });
  const kept = trees.filter(({ tree }) => tree.state === 'kept');
  const out: string[] = [];
  if (kept.length > 0) {
    out.push(`Worktrees kept (merge one with \`orch-prompt runs apply ${manifest.id} WORKER\`, remove them with \`orch-prompt runs clean ${manifest.id}\`):`);
    for (const { id, tree } of kept) {
      out.push(`  ${id}: branch ${tree.branch}, ${diffstatText(tree.diffstat)}, ${tree.path}`);
      if (tree.outside !== undefined) out.push(`    changed files outside its paths, so runs apply refuses it: ${tree.outside.slice(0, 5).join(', ')}${tree.outside.length > 5 ? ', ...' : ''}`);
    }
  }
  for (const { id, tree } of trees) if (tree.error !== undefined) out.push(`Worktree of ${id}: ${tree.error}`);
  return out;
}

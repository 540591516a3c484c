import { cleanPool as drain, type DrainedSlot } from '../../run/index.js';
import { safeLine } from '../views/safe-line.js';

/** `runs clean --pool`: remove the worktrees the repository at `cwd` keeps for reuse. */
export function cleanPool(cwd: string, env: Readonly<Record<string, string | undefined>>): Promise<DrainedSlot[]> {
  return drain(cwd, env);
}

export function poolLines(drained: readonly DrainedSlot[]): string {
  return drained.length === 0 ? 'no pooled worktree to remove\n' : drained.map((slot) => `removed pooled worktree ${safeLine(slot.path)}\n`).join('');
}

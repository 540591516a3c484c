import { resolve } from 'node:path';
import type { WorkerSpec } from '../record/model.js';
import { isInside } from '../../fs/path-inside.js';

/**
 * Whether two editing workers could touch the same files: some path of one contains, or is
 * inside, some path of the other (paths resolve against each worker's `cwd`).
 */
export function pathsOverlap(a: Pick<WorkerSpec, 'paths' | 'cwd'>, b: Pick<WorkerSpec, 'paths' | 'cwd'>): boolean {
  const left = a.paths.map((p) => resolve(a.cwd, p));
  const right = b.paths.map((p) => resolve(b.cwd, p));
  return left.some((x) => right.some((y) => isInside(x, y) || isInside(y, x)));
}

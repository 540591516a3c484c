import { isAbsolute, relative, resolve } from 'node:path';
import type { WorkerSpec } from './model.js';

/**
 * Whether two editing workers could touch the same files: some path of one contains, or is
 * inside, some path of the other (paths resolve against each worker's `cwd`).
 */
export function pathsOverlap(a: Pick<WorkerSpec, 'paths' | 'cwd'>, b: Pick<WorkerSpec, 'paths' | 'cwd'>): boolean {
  const left = a.paths.map((p) => resolve(a.cwd, p));
  const right = b.paths.map((p) => resolve(b.cwd, p));
  return left.some((x) => right.some((y) => inside(x, y) || inside(y, x)));
}

function inside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

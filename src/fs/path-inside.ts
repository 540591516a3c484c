import { isAbsolute, relative } from 'node:path';

/** Whether `child` is `parent` or below it (lexically: resolve symbolic links first when they matter). */
export function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

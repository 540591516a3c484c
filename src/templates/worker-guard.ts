import type { Root } from 'mdast';

/** The line every worker prompt starts with: the recursion guard. */
export const workerGuardLine = 'CONTEXT: WORKER';

/** Whether a body's first block is a paragraph whose first line is exactly the guard line. */
export function startsWithGuard(tree: Root): boolean {
  const first = tree.children[0];
  if (first?.type !== 'paragraph') return false;
  const text = first.children[0];
  if (text?.type !== 'text') return false;
  const line = text.value.split('\n')[0] ?? '';
  return line.trimEnd() === workerGuardLine && (first.children.length === 1 || text.value.includes('\n'));
}

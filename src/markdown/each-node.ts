import type { Nodes } from 'mdast';

/**
 * Call `visit` on every node of a tree in document order (a node before its children), with a
 * plain loop: `unist-util-visit` costs several times more per node, which a hundred thousand
 * nodes (a 100 KB role) or a thousand templates feel.
 */
export function eachNode(tree: Nodes, visit: (node: Nodes) => void): void {
  const stack: Nodes[] = [tree];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    visit(node);
    if (!('children' in node)) continue;
    for (let index = node.children.length - 1; index >= 0; index--) stack.push(node.children[index] as Nodes);
  }
}

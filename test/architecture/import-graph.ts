import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The import graph of `src/`, read from the sources: every relative `import`, `export ... from`
 * and `import()`, type-only ones included (a type cycle is still a cycle for a reader). Files are
 * named relative to `src/` (`cli/main.ts`).
 */
export const srcDir = resolve(import.meta.dirname, '../../src');

export function importGraph(): Map<string, string[]> {
  const files = readdirSync(srcDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(join(srcDir, file), 'utf8');
    const targets: string[] = [];
    for (const match of text.matchAll(/^(?:import|export)\s[^;]*?\sfrom\s+'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/gm)) {
      const spec = (match[1] ?? match[2]) as string;
      targets.push(relative(srcDir, resolve(srcDir, dirname(file), spec.replace(/\.js$/, '.ts'))));
    }
    graph.set(file, targets);
  }
  return graph;
}

export const areaOf = (file: string): string => (file.includes('/') ? (file.split('/')[0] as string) : file.replace(/\.ts$/, ''));

/** Every cycle's files, one list per strongly connected component of more than one file (Tarjan). */
export function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!graph.has(target)) continue;
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node) as number, low.get(target) as number));
      } else if (onStack.has(target)) low.set(node, Math.min(low.get(node) as number, index.get(target) as number));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(component.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return found;
}

/**
 * The graph between the direct children of `folder` (its files and its sub-folders, each
 * sub-folder standing for everything in it), without edges from a child to itself.
 */
export function childGraph(graph: ReadonlyMap<string, readonly string[]>, folder: string): Map<string, string[]> {
  const prefix = folder === '' ? '' : `${folder}/`;
  const childOf = (file: string): string | null => (file.startsWith(prefix) ? (file.slice(prefix.length).split('/')[0] as string) : null);
  const children = new Map<string, Set<string>>();
  for (const [file, targets] of graph) {
    const from = childOf(file);
    if (from === null) continue;
    const edges = children.get(from) ?? new Set<string>();
    children.set(from, edges);
    for (const target of targets) {
      const to = childOf(target);
      if (to !== null && to !== from) edges.add(to);
    }
  }
  return new Map([...children].map(([child, edges]) => [child, [...edges].sort()]));
}

/** Every folder of `src/` that holds a source file, `''` (src itself) first. */
export function foldersOf(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const folders = new Set<string>(['']);
  for (const file of graph.keys()) {
    const parts = file.split('/');
    for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join('/'));
  }
  return [...folders].sort();
}

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The import graph of `src/`, read from the sources: every relative `import`, `export ... from`
 * and `import()`, type-only ones included (a type cycle is still a cycle for a reader).
 */
const srcDir = resolve(import.meta.dirname, '../../src');

/**
 * The allowed edges between the areas of `src/` (its first-level folders; `index` is the package
 * entry point), the flow the README states:
 * `errors, text <- fs <- markdown <- templates <- prompt <- (lint <- skill | run) <- cli`.
 * An area may import itself and the areas listed here, nothing else.
 */
const allowed: Record<string, readonly string[]> = {
  errors: [],
  text: [],
  fs: ['errors', 'text'],
  markdown: ['errors', 'text', 'fs'],
  templates: ['errors', 'text', 'fs', 'markdown'],
  prompt: ['errors', 'text', 'fs', 'markdown', 'templates'],
  lint: ['errors', 'text', 'fs', 'markdown', 'templates', 'prompt'],
  skill: ['errors', 'text', 'fs', 'markdown', 'templates', 'prompt', 'lint'],
  run: ['errors', 'text', 'fs', 'markdown', 'templates', 'prompt'],
  cli: ['errors', 'text', 'fs', 'markdown', 'templates', 'prompt', 'lint', 'skill', 'run'],
  index: ['errors', 'text', 'fs', 'markdown', 'templates', 'prompt', 'lint', 'skill', 'run', 'cli'],
};

function importGraph(): Map<string, string[]> {
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

const areaOf = (file: string): string => (file.includes('/') ? (file.split('/')[0] as string) : file.replace(/\.ts$/, ''));

/** Every cycle's files, one list per strongly connected component of more than one file (Tarjan). */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
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

describe('the import graph of src/', () => {
  const graph = importGraph();

  it('reads the sources (the check cannot pass on an empty graph)', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get('cli/main.ts')).toContain('cli/report-error.ts');
  });

  it('has no import cycles', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('finds a cycle when there is one (the check works)', () => {
    expect(cycles(new Map([['a.ts', ['b.ts']], ['b.ts', ['c.ts']], ['c.ts', ['a.ts']], ['d.ts', ['a.ts']]]))).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });

  it('has no edge against the stated flow between areas', () => {
    const against: string[] = [];
    for (const [file, targets] of graph) {
      const from = areaOf(file);
      for (const target of targets) {
        const to = areaOf(target);
        if (to !== from && !(allowed[from] ?? []).includes(to)) against.push(`${file} -> ${target}`);
      }
    }
    expect(Object.keys(allowed).sort()).toEqual([...new Set([...graph.keys()].map(areaOf))].sort());
    expect(against).toEqual([]);
  });
});

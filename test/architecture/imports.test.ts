import { describe, expect, it } from 'vitest';
import { areaOf, childGraph, cycles, foldersOf, importGraph } from './import-graph.js';

/**
 * The allowed edges between the areas of `src/` (its first-level folders; `index` is the package
 * entry point), the flow the README states:
 * `errors, text <- fs <- markdown <- templates <- prompt <- (lint <- skill | run <- front <- mcp) <- cli`:
 * `front` is what the runner's front ends share (the CLI and the MCP server), `mcp` the server.
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
  front: ['errors', 'text', 'fs', 'markdown', 'templates', 'prompt', 'run'],
  mcp: ['errors', 'text', 'fs', 'markdown', 'templates', 'prompt', 'lint', 'run', 'front'],
  cli: ['errors', 'text', 'fs', 'markdown', 'templates', 'prompt', 'lint', 'skill', 'run', 'front', 'mcp'],
  index: ['errors', 'text', 'fs', 'markdown', 'templates', 'prompt', 'lint', 'skill', 'run', 'front', 'mcp', 'cli'],
};

describe('the import graph of src/', () => {
  const graph = importGraph();

  it('reads the sources (the check cannot pass on an empty graph)', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get('cli/main.ts')).toContain('cli/report-error.ts');
  });

  it('has no import cycles', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('has no cycle between the files and folders of any folder (a folder imports as one)', () => {
    const folders = foldersOf(graph);
    expect(folders).toContain('run/local/worktree');
    expect(folders.map((folder): [string, string[][]] => [folder, cycles(childGraph(graph, folder))]).filter(([, found]) => found.length > 0)).toEqual([]);
  });

  it('sees a cycle between folders that no two files make (the check works)', () => {
    const files = new Map([['a/x.ts', ['b/y.ts']], ['b/y.ts', []], ['b/z.ts', ['a/w.ts']], ['a/w.ts', []]]);
    expect(cycles(files)).toEqual([]);
    expect(cycles(childGraph(files, ''))).toEqual([['a', 'b']]);
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

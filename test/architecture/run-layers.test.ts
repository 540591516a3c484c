import { describe, expect, it } from 'vitest';
import { importGraph } from './import-graph.js';

/**
 * The rooms of the runner (`src/run/`) and whom each may import, the flow docs/runner.md draws:
 * `settings <- record <- executor <- (local | cloud)`, `plan` and `core` over `executor`, and on
 * top the registry (`executors.ts`, the one line an executor adds) and the front door
 * (`index.ts`). The core knows executors only through `executor/`; no executor knows another,
 * nor the core. `git` is how the executors run git (hardened against a repository's config).
 */
const allowed: Record<string, readonly string[]> = {
  settings: [],
  git: [],
  record: ['settings'],
  executor: ['settings', 'record'],
  local: ['settings', 'record', 'executor', 'git'],
  cloud: ['settings', 'record', 'executor', 'git'],
  plan: ['settings', 'record', 'executor'],
  core: ['settings', 'record', 'executor', 'plan'],
  'executors.ts': ['executor', 'local', 'cloud'],
  'index.ts': ['settings', 'record', 'executor', 'plan', 'core', 'executors.ts', 'local'],
};

const roomOf = (file: string): string => file.split('/')[1] as string;

describe('the rooms of src/run', () => {
  const graph = importGraph();
  const runFiles = [...graph.keys()].filter((file) => file.startsWith('run/'));

  it('are the ones listed, each holding code', () => {
    expect([...new Set(runFiles.map(roomOf))].sort()).toEqual(Object.keys(allowed).sort());
  });

  it('import only the rooms below them', () => {
    const against: string[] = [];
    for (const file of runFiles) {
      for (const target of graph.get(file) ?? []) {
        if (!target.startsWith('run/')) continue;
        const [from, to] = [roomOf(file), roomOf(target)];
        if (from !== to && !(allowed[from] ?? []).includes(to)) against.push(`${file} -> ${target}`);
      }
    }
    expect(against).toEqual([]);
  });

  it('are entered from outside by the front door alone (run/index.ts)', () => {
    const inside: string[] = [];
    for (const [file, targets] of graph) {
      if (file.startsWith('run/')) continue;
      for (const target of targets) if (target.startsWith('run/') && target !== 'run/index.ts') inside.push(`${file} -> ${target}`);
    }
    expect(inside).toEqual([]);
  });
});

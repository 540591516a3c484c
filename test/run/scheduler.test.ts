import { join } from 'node:path';
import { expect, test } from 'vitest';
import { defaultSettings, executors, runKinds, startRun, type RunPlan, type WorkerSpec } from '../../src/run/index.js';
import { createManifest } from '../../src/run/plan/new-record.js';
import { fakeCodex, maxOverlap, tempDir } from './helpers.js';

const kinds = runKinds(executors);
const settings = { ...defaultSettings(kinds.settings), codexBin: fakeCodex };

function writer(id: string, paths: string[], cwd: string): WorkerSpec {
  return { id, stage: 0, stageName: 'fix', role: 'implementer', lenses: [], prompt: `prompt ${id}`, edits: true, paths, cwd, sandbox: 'workspace-write', executor: { kind: 'local', config: { inGitRepo: false } } };
}

test('many readers, one writer: editing workers on overlapping paths never run at once, disjoint ones do (the library front door, in process)', async () => {
  const dir = tempDir();
  const runDir = join(dir, 'run');
  const specs = [writer('a', ['src'], dir), writer('b', ['src/cli'], dir), writer('c', ['docs'], dir)];
  const manifest = createManifest({ runDir, cwd: dir, invokedFrom: dir, argv: [], templateDirs: [], settings, specs, executorOf: (kind) => kinds.executors.find((e) => e.kind === kind) as (typeof kinds.executors)[number] });
  const plan: RunPlan = { runDir, manifest, workers: specs.map((spec) => ({ spec, warnings: [], where: spec.id })), templates: undefined, resumed: false, kinds };
  const { manifest: done } = await startRun(plan, { env: { ...process.env, FAKE_CODEX_DELAY_MS: '400' } }).wait();
  expect(done.status).toBe('succeeded');
  const [a, b, c] = done.workers;
  expect(maxOverlap([a!, b!])).toBe(1);
  expect(maxOverlap([a!, c!])).toBe(2);
});

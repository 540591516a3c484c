import { join } from 'node:path';
import { expect, test } from 'vitest';
import { createManifest } from '../../src/run/record/manifest.js';
import type { RunSettings, WorkerSpec } from '../../src/run/record/model.js';
import { startRun } from '../../src/run/core/start-run.js';
import { fakeCodex, maxOverlap, tempDir } from './helpers.js';

const settings: RunSettings = { codexBin: fakeCodex, config: [], yolo: false, structured: false, merge: false, maxParallel: 4, timeoutMs: 0, watchdogMs: 0, retries: 0, retryDelayMs: 2000, graceMs: 5000, failFast: false };

function writer(id: string, paths: string[], cwd: string): WorkerSpec {
  return { id, stage: 0, stageName: 'fix', role: 'implementer', lenses: [], prompt: `prompt ${id}`, edits: true, paths, cwd, inGitRepo: false, sandbox: 'workspace-write' };
}

test('many readers, one writer: editing workers on overlapping paths never run at once, disjoint ones do', async () => {
  const dir = tempDir();
  const runDir = join(dir, 'run');
  const specs = [writer('a', ['src'], dir), writer('b', ['src/cli'], dir), writer('c', ['docs'], dir)];
  const manifest = createManifest({ runDir, cwd: dir, invokedFrom: dir, argv: [], templateDirs: [], settings, specs });
  const plan = { runDir, manifest, workers: specs.map((spec) => ({ spec, warnings: [] })), templates: undefined, resumed: false, stale: [] };
  const { manifest: done } = await startRun(plan, { env: { ...process.env, FAKE_CODEX_DELAY_MS: '400' } }).result;
  expect(done.status).toBe('succeeded');
  const [a, b, c] = done.workers;
  expect(maxOverlap([a!, b!])).toBe(1);
  expect(maxOverlap([a!, c!])).toBe(2);
});

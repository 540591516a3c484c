import { join } from 'node:path';
import { expect, test } from 'vitest';
import type { Manifest, RunSettings, WorkerSpec } from '../../src/run/model.js';
import { newRecord, runWorkers, type PlannedWorker } from '../../src/run/scheduler.js';
import { fakeCodex, maxOverlap, tempDir } from './helpers.js';

const settings: RunSettings = { codexBin: fakeCodex, config: [], yolo: false, structured: false, merge: false, maxParallel: 4, timeoutMs: 0, retries: 0, failFast: false };

function writer(id: string, paths: string[], cwd: string): PlannedWorker {
  const spec: WorkerSpec = { id, stage: 0, stageName: 'fix', role: 'implementer', lenses: [], prompt: `prompt ${id}`, edits: true, paths, cwd, inGitRepo: false };
  return { spec, warnings: [] };
}

test('many readers, one writer: editing workers on overlapping paths never run at once, disjoint ones do', async () => {
  const dir = tempDir();
  const runDir = join(dir, 'run');
  const workers = [writer('a', ['src'], dir), writer('b', ['src/cli'], dir), writer('c', ['docs'], dir)];
  const manifest: Manifest = {
    version: 1,
    id: 'run',
    startedAt: new Date().toISOString(),
    finishedAt: null,
    status: 'running',
    runnerPid: process.pid,
    cwd: dir,
    invokedFrom: dir,
    argv: [],
    options: settings,
    workers: workers.map((w) => newRecord(runDir, w.spec, settings)),
  };
  const { manifest: done } = await runWorkers({ runDir, manifest, workers, settings, env: { ...process.env, FAKE_CODEX_DELAY_MS: '400' } });
  expect(done.status).toBe('succeeded');
  const [a, b, c] = done.workers;
  expect(maxOverlap([a!, b!])).toBe(1);
  expect(maxOverlap([a!, c!])).toBe(2);
});

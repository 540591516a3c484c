import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { fakeCodex, tempDir } from './helpers.js';

it('the library example of docs/runner.md runs as written, two workers through the front door', () => {
  const root = join(import.meta.dirname, '../..');
  const doc = readFileSync(join(root, 'docs/runner.md'), 'utf8');
  const example = /## The runner as a library\n[^]*?```ts\n([^]*?)```/.exec(doc)?.[1];
  expect(example).toContain('startRun(plan');
  const dir = tempDir();
  mkdirSync(join(dir, 'node_modules'));
  mkdirSync(join(dir, 'src'));
  symlinkSync(root, join(dir, 'node_modules/codex-orchestration'));
  writeFileSync(join(dir, 'example.mjs'), `${example}\nconsole.log(status, manifest.workers.length);\n`);
  // The fake codex answers in place of the model; it is `codex` on PATH, as the real one would be.
  const env = { ...process.env, PATH: `${dirname(fakeCodex)}${delimiter}${process.env['PATH'] ?? ''}`, NO_COLOR: '1' };
  const result = spawnSync(process.execPath, ['example.mjs'], { cwd: dir, encoding: 'utf8', env, timeout: 60_000 });
  expect(result.stderr).toBe('');
  expect(result.stdout.split('\n').sort()).toEqual(['', 'reviewer-risks succeeded', 'reviewer-security succeeded', 'succeeded 2'].sort());
  expect(readFileSync(join(dir, '.orch/runs/review/reviewer-security/last-message.md'), 'utf8')).toMatch(/^done \d+/);
});

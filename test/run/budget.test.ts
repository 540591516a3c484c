import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { runMain } from '../support/cli.js';
import { codexBin, makeCodexHome, startMockModel } from '../support/mock-model.js';
import { fakeCodex, manifestOf, resume, run, tempDir, worker } from './helpers.js';

// Usage, cost and budgets: the loopback model reports the usage figures; real codex passes them on.

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const lensOf = (raw: string): string | undefined => /LENS: ([a-z-]+) \(/.exec(raw)?.[1];

describe('cost and budgets, real codex', () => {
  test('--budget: once exceeded the running worker is canceled and no new one starts, "budget" says why; runs show prints the usage table and the cost', async () => {
    const server = await startMockModel(({ raw }) => ({ text: `done ${lensOf(raw)}`, usage: { input_tokens: 1000, output_tokens: 100, total_tokens: 1100 }, ...(lensOf(raw) === 'security' ? { delayMs: 20_000 } : {}) }));
    const home = makeCodexHome(server);
    cleanups.push(() => server.close(), () => home.cleanup());
    const dir = tempDir();
    // Round prices: 1,000 input tokens at $1,000 per million and 100 output at $10,000 per million: $2.
    writeFileSync(join(dir, 'prices.json'), JSON.stringify({ date: '2026-11-24', models: { 'test-model': { input: 1000, cachedInput: 0, output: 10000 } } }));
    const runDir = join(dir, 'runs', 'r1');
    const result = await run(
      ['reviewer', '--artefact', 'src/', '--each-lens', 'risks,security,clarity', '--max-parallel', '2', '--budget', '1000', '--model', 'test-model', '--set', 'prices=prices.json', '--set', `codex-bin=${codexBin}`, '--run-dir', runDir],
      { cwd: dir, env: home.env },
    );
    expect(result.code).toBe(1);
    const manifest = manifestOf(runDir);
    expect(manifest.stopped).toEqual({ reason: 'budget', detail: 'budget: 1100 tokens spent of --budget 1000' });
    expect(worker(manifest, 'reviewer-risks')).toMatchObject({ status: 'succeeded', model: 'test-model', usage: { input_tokens: 1000, output_tokens: 100 }, costUsd: 2 });
    expect(worker(manifest, 'reviewer-security')).toMatchObject({ status: 'canceled', error: 'stopped: budget: 1100 tokens spent of --budget 1000' });
    expect(worker(manifest, 'reviewer-clarity')).toMatchObject({ status: 'canceled', error: 'not started: budget: 1100 tokens spent of --budget 1000', attempts: [] });
    expect(result.stdout).toContain('failed (1/3 succeeded), stopped by the budget: 1100 tokens spent of --budget 1000');

    const shown = await runMain(['runs', 'show', 'r1', '--runs-dir', 'runs'], { cwd: dir });
    expect(shown.stdout).toContain('Usage (tokens; estimated at prices of 2026-11-24 (prices.json); ? = no price for the model):');
    expect(shown.stdout).toMatch(/reviewer-risks +test-model +1000 +0 +100 +\$2\.0000\n/);
    expect(shown.stdout).toMatch(/total +1000 +0 +100 +\$2\.0000\n/);
    const listed = JSON.parse((await runMain(['runs', '--runs-dir', 'runs', '--format', 'json'], { cwd: dir })).stdout) as Array<{ usage: unknown }>;
    expect(listed[0]?.usage).toEqual({ input_tokens: 1000, cached_input_tokens: 0, output_tokens: 100, tokens: 1100, costUsd: 2 });
  });
});

describe('cost and budgets', () => {
  test('--budget-usd: every worker needs a priced model (one line, exit 2); a bad price table is refused', async () => {
    const dir = tempDir();
    const unnamed = await run(['scout', '--target', 'x', '--set', `codex-bin=${fakeCodex}`, '--budget', '$1'], { cwd: dir });
    expect(unnamed).toMatchObject({ code: 2, stderr: "orch-prompt: run: --budget in dollars: worker `scout` runs Codex's default model, which has no name here; choose one (--model, or `model` in the plan or the role)\n" });
    const unpriced = await run(['scout', '--target', 'x', '--set', `codex-bin=${fakeCodex}`, '--budget', '$1', '--model', 'mystery'], { cwd: dir });
    expect(unpriced).toMatchObject({ code: 2, stderr: 'orch-prompt: run: --budget in dollars: worker `scout` runs `mystery`, which has no price; add it to .orch/prices.json or --set prices=FILE\n' });
    writeFileSync(join(dir, 'bad.json'), '{"models": {"m": {"input": "cheap"}}}');
    const bad = await run(['scout', '--target', 'x', '--set', `codex-bin=${fakeCodex}`, '--set', 'prices=bad.json', '--dry-run'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^orch-prompt: run: bad\.json: /);
  });

  test('a priced model needs no flag: the built-in table is used and dated; usage adds up over retries', async () => {
    const dir = tempDir();
    const runDir = join(dir, 'run');
    const counter = join(dir, 'count');
    const result = await run(['scout', '--target', 'x', '--model', 'gpt-5', '--retries', '1', '--set', 'retry-delay=10ms', '--set', `codex-bin=${fakeCodex}`, '--run-dir', runDir, '--format', 'json'], {
      cwd: dir,
      env: { FAKE_CODEX_MODE: 'flaky', FAKE_CODEX_COUNTER: counter, FAKE_CODEX_FAILS: '0' },
    });
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as { usage: { tokens: number; costUsd: number }; prices: { date: string } };
    expect(summary.usage.tokens).toBe(49);
    // 42 input tokens at $1.25 per million and 7 output at $10 per million.
    expect(summary.usage.costUsd).toBeCloseTo((42 * 1.25 + 7 * 10) / 1e6, 12);
    expect(summary.prices.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  test('a worker is priced at the model it ran (its rollout), not the one it asked for; runs show names both; a manifest from before shows as it did', async () => {
    const dir = tempDir();
    // 42 input tokens at $10,000 per million: $0.42; the model asked for costs nothing.
    writeFileSync(join(dir, 'prices.json'), JSON.stringify({ date: '2026-11-24', models: { 'asked-model': { input: 0, output: 0 }, 'ran-model': { input: 10000, cachedInput: 0, output: 0 } } }));
    const runDir = join(dir, 'runs', 'r1');
    // A Codex home of its own (the rollout goes there), with the test model's endpoint.
    const codexHome = join(dir, 'codex-home');
    mkdirSync(codexHome);
    copyFileSync(join(process.env['CODEX_HOME'] as string, 'config.toml'), join(codexHome, 'config.toml'));
    const env = { CODEX_HOME: codexHome, FAKE_CODEX_ROLLOUT_MODEL: 'ran-model' };
    const result = await run(['scout', '--target', 'x', '--model', 'asked-model', '--set', 'prices=prices.json', '--set', `codex-bin=${fakeCodex}`, '--run-dir', runDir], { cwd: dir, env });
    expect(result.code).toBe(0);
    expect(worker(manifestOf(runDir), 'scout')).toMatchObject({ model: 'asked-model', modelUsed: 'ran-model', attempts: [{ modelUsed: 'ran-model' }], costUsd: 0.42 });
    expect(result.stdout).toMatch(/\nscout +ran-model \(-m asked-model\) +42 +0 +7 +\$0\.4200\n/);

    const { modelUsed: _, attempts, ...before } = worker(manifestOf(runDir), 'scout');
    const old = { ...manifestOf(runDir), workers: [{ ...before, costUsd: 0, attempts: attempts.map(({ modelUsed: _m, ...a }) => a) }] };
    writeFileSync(join(runDir, 'manifest.json'), JSON.stringify(old));
    const shown = await runMain(['runs', 'show', 'r1', '--runs-dir', 'runs'], { cwd: dir });
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/\nscout +asked-model +42 +0 +7 +\$0\.0000\n/);
  });

  test('--budget spent exactly: the running worker finishes, nothing new starts', async () => {
    const dir = tempDir();
    const runDir = join(dir, 'run');
    const result = await run(['reviewer', '--artefact', 'src/', '--each-lens', 'risks,security', '--max-parallel', '1', '--budget', '49', '--set', `codex-bin=${fakeCodex}`, '--run-dir', runDir], { cwd: dir });
    expect(result.code).toBe(1);
    const manifest = manifestOf(runDir);
    expect(manifest.workers.map((w) => [w.id, w.status, w.error])).toEqual([
      ['reviewer-risks', 'succeeded', null],
      ['reviewer-security', 'canceled', 'not started: budget: 49 tokens spent of --budget 49'],
    ]);
    // The summary names the way on: the same run with a larger budget, which runs resume accepts.
    expect(result.stdout).toContain(`Continue it: orch-prompt runs resume ${runDir} --budget 98\n`);
    // Without one, the budget is as spent as it was: nothing starts.
    const argsLog = join(dir, 'args');
    const same = await resume([runDir], { cwd: dir, env: { FAKE_CODEX_ARGS: argsLog } });
    expect(same.code).toBe(1);
    expect(worker(manifestOf(runDir), 'reviewer-security')).toMatchObject({ status: 'canceled', error: 'not started: budget: 49 tokens spent of --budget 49', attempts: [] });
    expect(existsSync(argsLog)).toBe(false);
    const resumed = await resume([runDir, '--budget', '98', '--format', 'json'], { cwd: dir });
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).not.toHaveProperty('next');
    expect(manifestOf(runDir)).toMatchObject({ status: 'succeeded', options: { budget: { tokens: 98 } } });
  });

  test('--dry-run shows each worker\'s prompt tokens', async () => {
    const dir = tempDir();
    const json = await run(['reviewer', '--artefact', 'src/', '--each-lens', 'risks,security', '--set', `codex-bin=${fakeCodex}`, '--dry-run', '--format', 'json'], { cwd: dir });
    const rows = JSON.parse(json.stdout) as Array<{ promptBytes: number; promptTokens: number }>;
    for (const row of rows) expect(row.promptTokens).toBe(Math.ceil(row.promptBytes / 4));
    const text = await run(['reviewer', '--artefact', 'src/', '--lens', 'risks', '--set', `codex-bin=${fakeCodex}`, '--dry-run'], { cwd: dir });
    expect(text.stdout.split('\n')[0]).toMatch(/prompt +tokens$/);
    expect(text.stdout).toContain(`~${rows[0]?.promptTokens}`);
  });
});

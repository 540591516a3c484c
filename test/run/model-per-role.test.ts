import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { runMain } from '../support/cli.js';
import { codexBin, makeCodexHome, startMockModel } from '../support/mock-model.js';
import { fakeCodex, manifestOf, run, tempDir, worker } from './helpers.js';

// A model, a reasoning effort and a sandbox per role (template frontmatter), overridden by a
// plan worker and then by the command line; the sandbox is only ever narrowed.

const role = (name: string, extra: string, edits = false): string =>
  `---\nkind: role\nname: ${name}\ndescription: Audits an artefact.\n${edits ? 'edits: true\n' : 'scope: read-only\n'}${extra}parameters:\n  - name: target\n    description: What to audit.\n    required: true\n---\n\n## Task\n\nAudit {{target}} and report what you find.\n\n## Do\n\n- Read the files.\n\n## Output\n\n- Findings, most severe first.\n\n## Don't\n\n- Guess.\n`;

function project(templates: Record<string, string>): string {
  const dir = tempDir();
  mkdirSync(join(dir, '.orch/templates'), { recursive: true });
  for (const [name, text] of Object.entries(templates)) writeFileSync(join(dir, '.orch/templates', `${name}.md`), text);
  return dir;
}

interface DryRow {
  id: string;
  sandbox: string;
  model: string | null;
  reasoningEffort: string | null;
  command: string[];
}

describe('a model per role', () => {
  test('role frontmatter, then the plan worker, then the command line choose model and effort; the manifest and the command say so', async () => {
    const dir = project({
      auditor: role('auditor', 'model: gpt-role\nreasoning-effort: high\n'),
      fixer: role('fixer', 'model: gpt-fixer\nsandbox: read-only\n', true),
    });
    writeFileSync(
      join(dir, 'plan.yaml'),
      [
        'stages:',
        '  - name: s',
        '    workers:',
        '      - {id: as-role, role: auditor, params: {target: a}}',
        '      - {id: by-plan, role: auditor, params: {target: b}, model: gpt-plan, reasoning-effort: low}',
        '      - {id: narrowed, role: fixer, params: {target: c}, scope: may edit nothing}',
        '',
      ].join('\n'),
    );
    const dry = await run(['--plan', 'plan.yaml', '--set', `codex-bin=${fakeCodex}`, '--dry-run', '--format', 'json'], { cwd: dir });
    expect(dry.stderr).toBe('');
    const rows = JSON.parse(dry.stdout) as DryRow[];
    expect(rows.map((r) => [r.id, r.model, r.reasoningEffort, r.sandbox])).toEqual([
      ['as-role', 'gpt-role', 'high', 'read-only'],
      ['by-plan', 'gpt-plan', 'low', 'read-only'],
      ['narrowed', 'gpt-fixer', null, 'read-only'],
    ]);
    const byPlan = rows[1] as DryRow;
    expect(byPlan.command.join(' ')).toContain('-m gpt-plan -c model_reasoning_effort="low"');
    expect((rows[2] as DryRow).command.join(' ')).toContain('--sandbox read-only');

    // The command line wins over both, and the manifest records what each worker started with.
    const runDir = join(dir, 'run');
    const result = await run(['--plan', 'plan.yaml', '--set', `codex-bin=${fakeCodex}`, '--run-dir', runDir, '--model', 'gpt-cli', '--set', 'reasoning-effort=minimal'], { cwd: dir });
    expect(result.code).toBe(0);
    for (const id of ['as-role', 'by-plan', 'narrowed']) {
      const w = worker(manifestOf(runDir), id);
      expect([w.model, w.reasoningEffort]).toEqual(['gpt-cli', 'minimal']);
      expect(w.command.join(' ')).toContain('-m gpt-cli -c model_reasoning_effort="minimal"');
    }
  });

  test('a sandbox wider than `edits` implies is refused: in a template (load and lint), in a plan worker', async () => {
    const dir = project({ auditor: role('auditor', 'sandbox: workspace-write\n'), tuned: role('tuned', 'reasoning-effort: extreme\n') });
    const lint = await runMain(['lint', '--format', 'json'], { cwd: dir });
    expect(lint.code).toBe(1);
    const text = await runMain(['lint'], { cwd: dir });
    expect(text.stdout).toContain('`sandbox` may only narrow what `edits` implies: a role without `edits: true` is read-only, so `sandbox` must be `read-only`');
    expect(text.stdout).toContain('`reasoning-effort` must be one of `none`, `minimal`, `low`, `medium`, `high`, `xhigh`');
    const loaded = await run(['auditor', '--target', 'x', '--set', `codex-bin=${fakeCodex}`, '--dry-run'], { cwd: dir });
    expect(loaded.code).toBe(2);
    expect(loaded.stderr).toContain('`sandbox` may only narrow what `edits` implies');

    const plain = project({});
    writeFileSync(join(plain, 'plan.yaml'), 'stages:\n  - name: s\n    workers:\n      - {role: scout, params: {target: x}, sandbox: workspace-write}\n');
    const widened = await run(['--plan', 'plan.yaml', '--set', `codex-bin=${fakeCodex}`, '--dry-run'], { cwd: plain });
    expect(widened.code).toBe(2);
    expect(widened.stderr).toBe('orch-prompt: run: plan.yaml: stages[0].workers[0] (scout): `sandbox: workspace-write` would widen a read-only worker; a sandbox may only be narrowed (give the role `edits: true` to let it write)\n');
  });

  test('lint knows the new keys: a role using them lints clean', async () => {
    const dir = project({ fixer: role('fixer', 'model: gpt-5-codex\nreasoning-effort: high\nsandbox: read-only\n', true) });
    const lint = await runMain(['lint'], { cwd: dir });
    expect(lint.stdout).not.toContain('unknown key');
    expect(lint.code).toBe(0);
  });

  test('--sandbox read-only narrows every worker, editing ones too; a bad effort is a usage error', async () => {
    const dir = tempDir();
    const dry = await run(['implementer', '--deliverable', 'x', '--scope', 'may edit a', '--set', `codex-bin=${fakeCodex}`, '--sandbox', 'read-only', '--dry-run', '--format', 'json'], { cwd: dir });
    expect((JSON.parse(dry.stdout) as DryRow[])[0]?.sandbox).toBe('read-only');
    const bad = await run(['scout', '--target', 'x', '--set', `codex-bin=${fakeCodex}`, '--set', 'reasoning-effort=extreme', '--dry-run'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--set reasoning-effort must be one of');
  });
});

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('a model per role, real codex', () => {
  test('each worker asks the model its role, plan worker or command line chose, with that reasoning effort', async () => {
    const server = await startMockModel(() => ({ text: 'done' }));
    const home = makeCodexHome(server);
    cleanups.push(() => server.close(), () => home.cleanup());
    const dir = project({ auditor: role('auditor', 'model: gpt-5-codex\nreasoning-effort: high\n') });
    writeFileSync(join(dir, 'plan.yaml'), 'stages:\n  - name: s\n    workers:\n      - {id: as-role, role: auditor, params: {target: a}}\n      - {id: by-plan, role: auditor, params: {target: b}, model: gpt-5, reasoning-effort: low}\n');
    const runDir = join(dir, 'run');
    const result = await run(['--plan', 'plan.yaml', '--set', `codex-bin=${codexBin}`, '--run-dir', runDir, '--max-parallel', '1'], { cwd: dir, env: home.env });
    expect(result.code).toBe(0);
    const asked = server.requests.map((r) => ({ target: /Audit (\w)/.exec(r.raw)?.[1], model: r.body['model'], effort: (r.body['reasoning'] as { effort?: string } | undefined)?.effort }));
    expect(asked).toEqual([
      { target: 'a', model: 'gpt-5-codex', effort: 'high' },
      { target: 'b', model: 'gpt-5', effort: 'low' },
    ]);
  });

  test('the manifest records the model each worker actually ran, as codex recorded it: the configured default, or -m; the cost is priced at it', async () => {
    // Round prices: 800,000 input tokens at $1.25 per million and 100,000 output at $10 per million: $2.
    const server = await startMockModel(() => ({ text: 'done', usage: { input_tokens: 800_000, output_tokens: 100_000, total_tokens: 900_000 } }));
    const home = makeCodexHome(server);
    cleanups.push(() => server.close(), () => home.cleanup());
    // The default comes from Codex's own configuration: nothing on our command line names it.
    const config = join(home.home, 'config.toml');
    writeFileSync(config, readFileSync(config, 'utf8').replace('model = "mock-model"', 'model = "gpt-5-codex"'));
    const dir = project({ auditor: role('auditor', '') });
    writeFileSync(join(dir, 'plan.yaml'), 'stages:\n  - name: s\n    workers:\n      - {id: configured, role: auditor, params: {target: a}}\n      - {id: asked, role: auditor, params: {target: b}, model: gpt-5}\n');
    const runDir = join(dir, 'run');
    const result = await run(['--plan', 'plan.yaml', '--set', `codex-bin=${codexBin}`, '--run-dir', runDir, '--max-parallel', '1'], { cwd: dir, env: home.env });
    expect(result.code).toBe(0);
    expect(server.requests.map((r) => r.body['model'])).toEqual(['gpt-5-codex', 'gpt-5']);

    const manifest = manifestOf(runDir);
    const configured = worker(manifest, 'configured');
    expect(configured.command).not.toContain('-m');
    expect(configured).not.toHaveProperty('model');
    expect(configured).toMatchObject({ modelUsed: 'gpt-5-codex', attempts: [{ modelUsed: 'gpt-5-codex' }], costUsd: 2 });
    expect(worker(manifest, 'asked')).toMatchObject({ model: 'gpt-5', modelUsed: 'gpt-5', attempts: [{ modelUsed: 'gpt-5' }], costUsd: 2 });

    const shown = await runMain(['runs', 'show', runDir], { cwd: dir });
    expect(shown.stdout).toMatch(/\nconfigured +gpt-5-codex \(default\) +800000 +0 +100000 +\$2\.0000\n/);
    expect(shown.stdout).toMatch(/\nasked +gpt-5 +800000 +0 +100000 +\$2\.0000\n/);
    expect(shown.stdout).toMatch(/\ntotal +1600000 +0 +200000 +\$4\.0000\n/);
    const json = JSON.parse((await runMain(['runs', 'show', runDir, '--format', 'json'], { cwd: dir })).stdout) as { workers: Array<{ id: string; model: string | null; modelUsed: string | null }> };
    expect(json.workers.map((w) => [w.id, w.model, w.modelUsed])).toEqual([
      ['configured', null, 'gpt-5-codex'],
      ['asked', 'gpt-5', 'gpt-5'],
    ]);
  });
});

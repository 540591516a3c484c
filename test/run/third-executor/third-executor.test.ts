import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { defaultSettings, executors, planRun, readManifest, runKinds, setValue, settingNamed, startRun, type RunEvent } from '../../../src/run/index.js';
import { loadTemplates } from '../../../src/templates/load.js';
import { runMain } from '../../support/cli.js';
import { tempDir } from '../helpers.js';

// Adding an executor is its own folder and one registry line: here the folder is this one
// (echo-executor.ts) and the line is the mock below. The CLI's flags, `--set`, plan keys, the
// manifest's schema, the schedule, the record, `runs show` and `runs resume` take it up with no
// other change.
vi.mock('../../../src/run/executors.js', async (importOriginal) => {
  const { executors: builtIn } = await importOriginal<typeof import('../../../src/run/executors.js')>();
  const { echoExecutor } = await import('./echo-executor.js');
  return { executors: [...builtIn, echoExecutor] };
});

const env = (): Record<string, string> => ({ ...(process.env as Record<string, string>) });

function project(): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'notes.md'), '# Notes\n');
  return dir;
}

describe('a third executor, added by its folder and one registry line', () => {
  it('is in the registry the CLI uses, after the built-in ones', () => {
    expect(executors.map((e) => e.kind)).toEqual(['local', 'cloud', 'echo']);
  });

  it('shows in `run --help`: its setting under --set, its kind under --executor', async () => {
    const help = await runMain(['run', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout.replace(/\s+/g, ' ')).toContain('echo-delay');
    expect(help.stdout.replace(/\s+/g, ' ')).toMatch(/echo: an echo of the prompt/);
  });

  it('runs a worker from the command line, records it under its schema, and `runs show` reads it back', async () => {
    const cwd = project();
    const runDir = join(cwd, 'run');
    const ran = await runMain(['run', 'reviewer', '--lens', 'risks', '--artefact', 'notes.md', '--executor', 'echo:hello', '--set', 'echo-delay=5', '--run-dir', runDir, '--format', 'json'], { cwd, env: env() });
    expect(ran.stderr).not.toMatch(/error|failed/i);
    expect(ran.code).toBe(0);
    expect(JSON.parse(ran.stdout)).toMatchObject({ status: 'succeeded' });
    const prompt = readFileSync(join(runDir, 'reviewer-risks/prompt.md'), 'utf8');
    expect(readFileSync(join(runDir, 'reviewer-risks/last-message.md'), 'utf8')).toBe(`hello: ${prompt.split('\n')[0]}\n`);
    // Read back as any later command reads it: sealed, and checked against the echo's own schema.
    const manifest = readManifest(runDir, runKinds(executors));
    expect(manifest?.options.executors['echo']).toEqual({ delayMs: 5 });
    expect(manifest?.workers[0]).toMatchObject({ status: 'succeeded', command: ['echo', 'hello'], executor: { kind: 'echo', greeting: 'hello', answers: 1 } });
    const shown = await runMain(['runs', 'show', runDir], { cwd, env: env() });
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/reviewer-risks\s.*succeeded/);
  });

  it('takes its plan keys in a plan, and refuses them on a worker of another executor', async () => {
    const cwd = project();
    writeFileSync(join(cwd, 'plan.yaml'), 'stages:\n  - name: review\n    workers:\n      - { role: reviewer, lenses: [risks], params: { artefact: notes.md }, executor: echo, greeting: hi }\n      - { role: reviewer, lenses: [security], params: { artefact: notes.md }, executor: echo, greeting: yo }\n');
    const ran = await runMain(['run', '--plan', 'plan.yaml', '--run-dir', 'run', '--format', 'json'], { cwd, env: env() });
    expect(ran.stderr).not.toMatch(/error|failed/i);
    expect(ran.code).toBe(0);
    const manifest = readManifest(join(cwd, 'run'), runKinds(executors));
    expect(manifest?.workers.map((w) => [w.status, w.executor])).toEqual([
      ['succeeded', { kind: 'echo', greeting: 'hi', answers: 1 }],
      ['succeeded', { kind: 'echo', greeting: 'yo', answers: 1 }],
    ]);
    writeFileSync(join(cwd, 'wrong.yaml'), 'stages:\n  - name: review\n    workers:\n      - { role: reviewer, lenses: [risks], params: { artefact: notes.md }, greeting: hi }\n');
    const refused = await runMain(['run', '--plan', 'wrong.yaml', '--dry-run'], { cwd, env: env() });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('`greeting` is for `executor: echo` only');
  });

  it('is driven through the front door: events in order, cancel, then `runs resume` finishes the worker', async () => {
    const cwd = project();
    const runDir = join(cwd, 'run');
    const kinds = runKinds(executors);
    const settings = defaultSettings(kinds.settings);
    setValue(settings, settingNamed(kinds.settings, 'executor', 'test'), 'echo:slow');
    setValue(settings, settingNamed(kinds.settings, 'echo-delay', 'test'), 60_000);
    const templates = loadTemplates();
    const plan = planRun({ kind: 'role', recipe: { role: 'reviewer', params: { artefact: 'notes.md' }, lenses: ['risks'], context: {} }, eachLens: [] }, { templates, templateDirs: [], cwd, runDir, settings, kinds, argv: [], invokedFrom: cwd, env: env() });
    const handle = startRun(plan, { env: env() });
    const seen: RunEvent['type'][] = [];
    for await (const event of handle.events()) {
      seen.push(event.type);
      if (event.type === 'progress') handle.cancel();
    }
    const result = await handle.wait();
    expect(result).toMatchObject({ canceled: true, status: 'canceled', error: null });
    expect(seen[0]).toBe('prepared');
    expect(seen.slice(-3)).toEqual(['attempt-ended', 'worker-ended', 'run-ended']);
    expect(result.manifest.workers[0]).toMatchObject({ status: 'canceled', executor: { answers: 0 } });

    const resumed = await runMain(['runs', 'resume', runDir, '--set', 'echo-delay=0', '--format', 'json'], { cwd, env: env() });
    expect(resumed.stderr).toContain('reviewer-risks: running (attempt 2)');
    expect(resumed.code).toBe(0);
    expect(readManifest(runDir, kinds)?.workers[0]).toMatchObject({ status: 'succeeded', executor: { kind: 'echo', greeting: 'slow', answers: 1 } });
  });
});

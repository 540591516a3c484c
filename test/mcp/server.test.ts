import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { coreWorkerKeys, executors } from '../../src/run/index.js';
import { allowedWorkerKeys, workerKeys } from '../../src/mcp/index.js';
import { runMain } from '../support/cli.js';
import { fakeCodex, killWhenDone, liveFrom, pidsIn, tempDir } from '../run/helpers.js';
import { call, connect, project, workersOf } from './support.js';

// The MCP server driven by the SDK's own client, in this process (the stdio process is
// test/mcp/stdio.test.ts): every tool, what it refuses, and runs that outlive the call that
// started them. Workers are the fake codex.

const lens = '---\nkind: lens\nname: tone\ntitle: Tone\ndescription: How it sounds.\n---\n\n- Talks down to the reader.\n';
const fake = { CODEX_BIN: fakeCodex };

describe('tools/list', () => {
  it('offers the eight tools, each with a description, an input and an output schema, and says which only read', async () => {
    const { client } = await connect(project(tempDir()));
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['list_templates', 'render_prompt', 'lint_templates', 'start_run', 'get_run', 'wait_run', 'cancel_run', 'list_runs']);
    for (const tool of tools) {
      expect(tool.description?.length, tool.name).toBeGreaterThan(80);
      expect([tool.inputSchema.type, tool.outputSchema?.type], tool.name).toEqual(['object', 'object']);
    }
    const readOnly = tools.filter((t) => t.annotations?.readOnlyHint === true).map((t) => t.name);
    expect(readOnly).toEqual(['list_templates', 'render_prompt', 'lint_templates', 'get_run', 'wait_run', 'list_runs']);
    const start = tools.find((t) => t.name === 'start_run');
    const worker = (start?.inputSchema.properties?.['workers'] as { items: { properties: Record<string, unknown>; required: string[] } }).items;
    // A plan worker's keys, exactly: those of the run's own and each executor's that the server takes.
    const planKeys = [...coreWorkerKeys, ...executors.flatMap((e) => Object.keys(e.planKeys))];
    expect(Object.keys(worker.properties).sort()).toEqual(planKeys.filter((k) => allowedWorkerKeys.has(k)).sort());
    expect(Object.keys(workerKeys).sort()).toEqual(coreWorkerKeys.filter((k) => allowedWorkerKeys.has(k)).sort());
    expect(worker.required).toEqual(['role']);
  });
});

describe('templates', () => {
  it('list_templates: the roles and lenses, a project lens too, as `list --format json`', async () => {
    const dir = project(tempDir(), { 'lenses/tone.md': lens });
    const { client } = await connect(dir);
    const { result } = await call(client, 'list_templates', {});
    const cli = JSON.parse((await runMain(['list', '--format', 'json'], { cwd: dir })).stdout) as Record<string, unknown>;
    expect({ roles: result['roles'], lenses: result['lenses'], overrides: result['overrides'] }).toEqual(cli);
    expect((result['lenses'] as Array<{ name: string }>).map((l) => l.name)).toContain('tone');
  });

  it('render_prompt: the prompt the CLI prints, and with task_only the custom agent\'s message', async () => {
    const dir = project(tempDir());
    const { client } = await connect(dir);
    const args = ['reviewer', '--artefact', 'src/', '--lens', 'risks', '--goal', 'No stack traces'];
    const prompt = await call(client, 'render_prompt', { role: 'reviewer', params: { artefact: 'src/' }, lenses: ['risks'], context_pack: { goal: 'No stack traces' } });
    expect(prompt.result['prompt']).toBe((await runMain(args, { cwd: dir })).stdout);
    expect(String(prompt.result['prompt'])).toMatch(/^CONTEXT: WORKER\n/);
    const message = await call(client, 'render_prompt', { role: 'reviewer', params: { artefact: 'src/' }, lenses: ['risks'], context_pack: { goal: 'No stack traces' }, task_only: true });
    expect(message.result).toMatchObject({ agent: 'orch-reviewer', message: (await runMain([...args, '--task-only'], { cwd: dir })).stdout });
  });

  it('lint_templates: the findings of `lint --format json`', async () => {
    const dir = project(tempDir(), { 'lenses/tone.md': '---\nkind: lens\nname: tone\n---\n\nNothing concrete.\n' });
    const { client } = await connect(dir);
    const { result } = await call(client, 'lint_templates', { paths: ['.orch/templates'] });
    const cli = JSON.parse((await runMain(['lint', '.orch/templates', '--format', 'json'], { cwd: dir })).stdout) as Record<string, unknown>;
    expect(result).toEqual(cli);
    expect((result['summary'] as { errors: number }).errors).toBeGreaterThan(0);
  });
});

describe('bad input: a tool error with the CLI\'s code, and the server goes on', () => {
  it.each([
    ['render_prompt', { role: 'reviewer', params: { artefact: 'x' }, lenses: ['rsks'] }, 'unknown-lens', /unknown lens `rsks`.*did you mean `risks`/],
    ['render_prompt', { role: 'reviewr', params: {} }, 'unknown-role', /did you mean `reviewer`/],
    ['render_prompt', { role: 'implementer', params: { deliverable: 'x' } }, 'scope-required', /scope/],
    ['render_prompt', { role: 'reviewer', params: { artefact: 'x' }, lenses: ['risks'], context_pack: { gaol: 'x' } }, 'unknown-context-field', /did you mean `goal`/],
    ['render_prompt', { role: 3 }, 'usage', /render_prompt: `role` must be string/],
    ['render_prompt', { role: 'reviewer', colour: 'red' }, 'usage', /render_prompt: unknown argument `colour`, expected one of `role`, `lenses`, `params`/],
    ['render_prompt', { lenses: ['risks'] }, 'usage', /render_prompt: missing argument `role`/],
    ['lint_templates', { paths: ['../elsewhere'] }, 'mcp-refused', /outside .*the folder this server works in/],
    ['lint_templates', { paths: ['missing.md'] }, 'usage', /cannot read `missing.md`: no such file/],
    ['start_run', {}, 'usage', /give `workers` \(one stage\) or `stages`/],
    ['start_run', { workers: [{ role: 'scout', params: { target: 'x' }, colour: 'red' }] }, 'plan-invalid', /start_run: stages\[0\]\.workers\[0\]: has an unknown key `colour`/],
    ['start_run', { workers: [{ role: 'scout' }] }, 'worker-invalid', /start_run: stages\[0\]\.workers\[0\] \(scout\).*target/],
    ['start_run', { workers: [{ role: 'scout', params: { target: 'x' } }], settings: { 'codex-bin': '/bin/sh' } }, 'mcp-refused', /settings\.codex-bin cannot be given/],
    ['start_run', { workers: [{ role: 'scout', params: { target: 'x' } }], settings: { yolo: true } }, 'mcp-refused', /settings\.yolo/],
    ['start_run', { workers: [{ role: 'scout', params: { target: 'x' } }], settings: { config: ['sandbox_mode="danger-full-access"'] } }, 'mcp-refused', /settings\.config/],
    ['start_run', { workers: [{ role: 'scout', params: { target: 'x' } }], settings: { prices: '/etc/prices.json' } }, 'mcp-refused', /settings\.prices/],
    ['start_run', { workers: [{ role: 'scout', params: { target: 'x' }, cd: '..' }] }, 'mcp-refused', /cd cannot be given to this server/],
    ['start_run', { workers: [{ role: 'scout', params: { target: 'x' }, from: '../other/.orch/runs/x' }] }, 'usage', /is not a run id/],
    ['start_run', { workers: [{ role: 'scout', params: { target: 'x' } }], settings: { timeout: 'soon' } }, 'plan-invalid', /timeout/],
    ['get_run', { run: '../../etc' }, 'usage', /is not a run id/],
    ['get_run', { run: '20990101' }, 'usage', /no run `20990101` \(see list_runs\)/],
    ['wait_run', { run: 'x', wait_seconds: 1000 }, 'usage', /`wait_seconds` must be <= 120/],
    ['no_such_tool', {}, 'usage', /no tool `no_such_tool`/],
  ])('%s %j -> %s', async (tool, args, code, message) => {
    const { client } = await connect(project(tempDir()), fake);
    const { error } = await call(client, tool, args);
    expect(error?.code).toBe(code);
    expect(error?.message).toMatch(message);
    expect((await call(client, 'list_runs', {})).result['total']).toBe(0);
  });
});

describe('a plan mistake: the code `run --plan` gives for the same plan in a file', () => {
  const workers = [{ role: 'scout', params: { target: 'x' } }];
  it.each([
    ['a context field that is not text', { context: { goal: 3 } }],
    ['a context that is not a table', { context: 'goal' }],
    ['settings that are not a table', { settings: 'fast' }],
    ['a setting given a table', { settings: { timeout: { a: 1 } } }],
    ['a value a setting does not take', { settings: { timeout: 'soon' } }],
    ['an unknown setting', { settings: { timout: '1m' } }],
    ['a list for a setting of one value', { settings: { retries: [1, 2] } }],
    ['a worker that is not a table', { stages: [{ name: 'main', workers: ['scout'] }] }],
    ['a stage name with capitals', { stages: [{ name: 'Main', workers }] }],
  ])('%s: plan-invalid from both', async (_what, part) => {
    const dir = project(tempDir());
    const plan = { stages: [{ name: 'main', workers }], ...part };
    writeFileSync(join(dir, 'plan.json'), JSON.stringify(plan));
    const cli = await runMain(['run', '--plan', 'plan.json', '--format', 'json'], { cwd: dir, env: fake });
    const { client } = await connect(dir, fake);
    const { error } = await call(client, 'start_run', plan);
    expect([(JSON.parse(cli.stderr) as { error: { code: string } }).error.code, error?.code]).toEqual(['plan-invalid', 'plan-invalid']);
  });
});

describe('runs', () => {
  it('start_run waits up to wait_seconds, reports progress, and returns every final message; the run is recorded like the CLI\'s', async () => {
    const dir = project(tempDir());
    const { client } = await connect(dir, { ...fake, FAKE_CODEX_DELAY_MS: '200' });
    const progress: string[] = [];
    const { result, error } = await call(
      client,
      'start_run',
      { workers: [{ role: 'reviewer', params: { artefact: 'README.md' }, lenses: ['risks'] }, { role: 'reviewer', params: { artefact: 'README.md' }, lenses: ['clarity'] }], settings: { 'max-parallel': 2 }, wait_seconds: 60 },
      { onprogress: (p) => progress.push(`${p.progress}/${p.total}`) },
    );
    expect(error).toBeUndefined();
    expect(result['status']).toBe('succeeded');
    expect(workersOf(result).map((w) => [w.id, w.status, w.finalMessage?.startsWith('done ')])).toEqual([
      ['main-reviewer-risks', 'succeeded', true],
      ['main-reviewer-clarity', 'succeeded', true],
    ]);
    expect(progress.at(0)).toBe('0/2');
    expect(progress.at(-1)).toBe('2/2');
    // Recorded where `orch-prompt runs` finds it, and shown alike.
    const shown = JSON.parse((await runMain(['runs', 'show', String(result['id']), '--format', 'json'], { cwd: dir })).stdout) as Record<string, unknown>;
    expect(shown['status']).toBe('succeeded');
    expect(existsSync(join(dir, '.orch', 'runs', String(result['id']), 'manifest.json'))).toBe(true);
  });

  it('a run outlives the call that started it: wait_run returns on its first change, get_run reads it back after a restart', async () => {
    const dir = project(tempDir());
    const first = await connect(dir, { ...fake, FAKE_CODEX_DELAY_MS: '1500' });
    const started = await call(first.client, 'start_run', { workers: [{ role: 'scout', params: { target: 'the cli' } }] });
    expect(started.result['status']).toBe('running');
    const id = String(started.result['id']);
    const waits: Array<Record<string, unknown>> = [];
    while (waits.length < 10 && (waits.at(-1) ?? started.result)['status'] === 'running') waits.push((await call(first.client, 'wait_run', { run: id, wait_seconds: 20 })).result);
    // The first wait returned on a change (the worker started or ended), long before its limit;
    // a wait on a run that has ended returns at once, unchanged.
    expect(waits[0]?.['changed']).toBe(true);
    expect(waits.at(-1)).toMatchObject({ status: 'succeeded' });
    // A new server (a restart) holds nothing, and reads the run from its folder.
    const second = await connect(dir, fake);
    const read = await call(second.client, 'get_run', { run: id.slice(0, 20) });
    expect(read.result).toMatchObject({ id, status: 'succeeded' });
    expect(workersOf(read.result)[0]?.finalMessage).toMatch(/^done \d+$/);
    const listed = await call(second.client, 'list_runs', {});
    expect(listed.result).toMatchObject({ total: 1, runs: [{ id, status: 'succeeded', roles: ['scout'] }] });
    // An ended run: wait_run returns at once, unchanged.
    expect((await call(second.client, 'wait_run', { run: id, wait_seconds: 100 })).result).toMatchObject({ status: 'succeeded', changed: false });
  });

  it('cancel_run stops a running run: its workers end, the record says canceled, and wait_run gave up at its limit meanwhile', async () => {
    const dir = project(tempDir());
    const pids = join(dir, 'pids');
    const { client } = await connect(dir, { ...fake, FAKE_CODEX_MODE: 'hang', FAKE_CODEX_PIDS: pids });
    killWhenDone(undefined, pids);
    const started = await call(client, 'start_run', { workers: [{ role: 'scout', params: { target: 'x' } }], settings: { grace: '1s' }, wait_seconds: 0 });
    const id = String(started.result['id']);
    let view = started.result;
    for (let i = 0; i < 5 && workersOf(view)[0]?.status !== 'running'; i++) view = (await call(client, 'wait_run', { run: id, wait_seconds: 10 })).result;
    expect(workersOf(view)[0]?.status).toBe('running');
    const stuck = Date.now();
    expect((await call(client, 'wait_run', { run: id, wait_seconds: 1 })).result).toMatchObject({ status: 'running', changed: false });
    expect(Date.now() - stuck).toBeGreaterThanOrEqual(900);
    const canceled = await call(client, 'cancel_run', { run: id });
    expect(canceled.result).toMatchObject({ status: 'canceled', workers: [{ status: 'canceled' }] });
    expect(pidsIn(pids).length).toBeGreaterThan(0);
    expect(liveFrom(pids)).toEqual([]);
    expect(JSON.parse(readFileSync(join(dir, '.orch', 'runs', id, 'manifest.json'), 'utf8'))).toMatchObject({ status: 'canceled' });
    // Canceling again is no error: the run is shown as it ended.
    expect((await call(client, 'cancel_run', { run: id })).result['status']).toBe('canceled');
  });

  it('a start that cannot work here is refused before anything runs, with the preflight\'s code', async () => {
    const dir = project(tempDir());
    writeFileSync(join(dir, 'config.toml'), 'model_provider = "dead"\n[model_providers.dead]\nname = "dead"\nbase_url = "http://127.0.0.1:9/v1"\nwire_api = "responses"\n');
    const { client } = await connect(dir, { ...fake, CODEX_HOME: dir });
    const { error } = await call(client, 'start_run', { workers: [{ role: 'scout', params: { target: 'x' } }] });
    expect(error?.code).toBe('run-preflight');
    expect((await call(client, 'list_runs', {})).result['total']).toBe(0);
  });
});

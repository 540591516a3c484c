import { spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { existsSync, readFileSync, readlinkSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { alive, carriesVariable, descendants } from '../../src/run/local/process-tree.js';
import { binPath } from '../support/cli.js';
import { fileScratch } from '../support/file-scratch.js';
import { codexBin, makeCodexHome, startMockModel, startSharedModel, type ModelRoute, type Responder, type SharedModel } from '../support/mock-model.js';
import { manifestOf, maxOverlap, nAttempts, resume, run, worker } from './helpers.js';

// The runner against the real pinned `codex exec`, talking to a loopback mock model.

// The tests run at once (each mostly waits for codex and the model): one model and one Codex
// home serve the file, each test answering the requests from its own folder, and what the tests
// make is removed when the file ends (a concurrent test cannot rely on onTestFinished).
const scratch = fileScratch('orch-e2e-');
const packageRoot = fileURLToPath(new URL('../..', import.meta.url));
let model: SharedModel;
beforeAll(async () => {
  model = await startSharedModel();
});
afterAll(() => model.close());

interface Setup {
  dir: string;
  runDir: string;
  server: ModelRoute;
  env: Record<string, string>;
  args: string[];
}

function setup(respond: Responder): Setup {
  const dir = scratch.dir();
  const runDir = join(dir, 'run');
  return { dir, runDir, server: model.route(dir, respond), env: model.home.env, args: ['--set', `codex-bin=${codexBin}`, '--run-dir', runDir] };
}

/** Which lens a request's prompt was rendered with. */
function lensOf(raw: string): string | undefined {
  return /LENS: ([a-z-]+) \(/.exec(raw)?.[1];
}

const finding = (title: string, location: string, severity = 'high', lens: string | null = null) => ({ severity, lens, title, location, evidence: 'seen', fix: 'change it' });

describe.concurrent('orch-prompt run with real codex exec', { timeout: 90_000 }, () => {
  test('three lenses fan out in parallel, every final message is collected, --merge synthesises them', async () => {
    const s = setup(({ raw }) => (raw.includes('CONTEXT: WORKER') && raw.includes('Merge the worker outputs') ? { text: 'MERGED ANSWER' } : { text: `finding for ${lensOf(raw)}`, delayMs: 500 }));
    const result = await run(['reviewer', '--artefact', 'src/', '--each-lens', 'risks,security,clarity', '--merge', ...s.args], { cwd: s.dir, env: s.env });
    expect(result.code).toBe(0);
    const manifest = manifestOf(s.runDir);
    expect(manifest.status).toBe('succeeded');
    expect(manifest.workers.map((w) => [w.id, w.status, w.sandbox])).toEqual([
      ['reviewer-risks', 'succeeded', 'read-only'],
      ['reviewer-security', 'succeeded', 'read-only'],
      ['reviewer-clarity', 'succeeded', 'read-only'],
      ['merge', 'succeeded', 'read-only'],
    ]);
    const reviewers = manifest.workers.slice(0, 3);
    // Parallelism, from the record: all three were running at one instant.
    expect(maxOverlap(reviewers)).toBe(3);
    for (const w of reviewers) {
      expect(readFileSync(join(s.runDir, w.files.lastMessage), 'utf8').trim()).toBe(`finding for ${w.lenses[0]}`);
      expect(w.threadId).toMatch(/^[0-9a-f-]{36}$/);
      expect(w.usage).toMatchObject({ input_tokens: 100, output_tokens: 10 });
      expect(w.promptHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    }
    const merge = worker(manifest, 'merge');
    expect(Date.parse(merge.startedAt as string)).toBeGreaterThanOrEqual(Math.max(...reviewers.map((w) => Date.parse(w.finishedAt as string))));
    const mergePrompt = readFileSync(join(s.runDir, merge.files.prompt), 'utf8');
    for (const lens of ['risks', 'security', 'clarity']) expect(mergePrompt).toContain(`finding for ${lens}`);
    expect(readFileSync(join(s.runDir, merge.files.lastMessage), 'utf8').trim()).toBe('MERGED ANSWER');
    expect(result.stdout).toContain('4/4 succeeded');
  });

  test('workers are not offered sub-agent tools (the recursion guard, as the model sees it)', async () => {
    const s = setup(() => ({ text: 'done' }));
    expect((await run(['scout', '--target', 'x', ...s.args], { cwd: s.dir, env: s.env })).code).toBe(0);
    const tools = JSON.stringify(s.server.requests[0]?.body['tools']);
    expect(tools).toContain('exec_command');
    expect(tools).not.toContain('spawn_agent');
    expect(tools).not.toContain('multi_agent');
  });

  test('a researcher worker searches the live web (the request asks for external web access)', async () => {
    const s = setup(() => ({ text: 'found' }));
    expect((await run(['researcher', '--topic', 'x', ...s.args], { cwd: s.dir, env: s.env })).code).toBe(0);
    expect(s.server.requests[0]?.body['tools']).toContainEqual(expect.objectContaining({ type: 'web_search', external_web_access: true }));
  });

  test('a plan: stage 2 receives the final message of stage 1', async () => {
    const s = setup(({ raw }) => ({ text: raw.includes('Map the CLI') ? 'SCOUT REPORT 42' : 'VERIFIED' }));
    writeFileSync(
      join(s.dir, 'plan.yaml'),
      'stages:\n  - name: scout\n    workers:\n      - {role: scout, params: {target: the CLI}}\n  - name: verify\n    workers:\n      - {role: verifier, params: {artefact: the map}, inputs: [scout]}\n',
    );
    const result = await run(['--plan', 'plan.yaml', ...s.args], { cwd: s.dir, env: s.env });
    expect(result.code).toBe(0);
    expect(s.server.requests).toHaveLength(2);
    expect(s.server.requests[1]?.raw).toContain('SCOUT REPORT 42');
    const manifest = manifestOf(s.runDir);
    expect(manifest.workers.map((w) => [w.id, w.status])).toEqual([
      ['scout-scout', 'succeeded'],
      ['verify-verifier', 'succeeded'],
    ]);
    expect(readFileSync(join(s.runDir, 'verify-verifier', 'prompt.md'), 'utf8')).toContain('SCOUT REPORT 42');
  });

  test('a model answering HTTP 500 fails one worker; the others succeed; exit 1; then --resume re-runs only it', async () => {
    let broken = true;
    const s = setup(({ raw }) => (broken && lensOf(raw) === 'risks' ? { status: 500 } : { text: `ok ${lensOf(raw)}` }));
    const first = await run(['reviewer', '--artefact', 'src/', '--each-lens', 'risks,security,clarity', ...s.args], { cwd: s.dir, env: s.env });
    expect(first.code).toBe(1);
    let manifest = manifestOf(s.runDir);
    expect(manifest.status).toBe('failed');
    const failed = worker(manifest, 'reviewer-risks');
    expect(failed).toMatchObject({ status: 'failed', exitCode: 1 });
    // Codex words an HTTP 500 from the model this way.
    expect(failed.error).toBe('We’re currently experiencing high demand, which may cause temporary errors.');
    expect(manifest.workers.filter((w) => w.status === 'succeeded')).toHaveLength(2);

    broken = false;
    const before = s.server.requests.length;
    const resumed = await resume([s.runDir], { cwd: s.dir, env: s.env });
    expect(resumed.code).toBe(0);
    expect(s.server.requests.length - before).toBe(1);
    manifest = manifestOf(s.runDir);
    expect(manifest.status).toBe('succeeded');
    expect(worker(manifest, 'reviewer-risks')).toMatchObject({ status: 'succeeded', attempts: nAttempts(2), error: null });
    expect(worker(manifest, 'reviewer-security').attempts).toHaveLength(1);
    expect(readFileSync(join(s.runDir, 'reviewer-risks', 'last-message.md'), 'utf8').trim()).toBe('ok risks');
  });

  test('--resume re-runs every stage downstream of a recovered worker: the merge receives the recovered answer', async () => {
    let broken = true;
    const isMerge = (raw: string): boolean => raw.includes('Merge the worker outputs');
    const s = setup(({ raw }) => (isMerge(raw) ? { text: 'MERGED' } : broken && lensOf(raw) === 'risks' ? { status: 500 } : { text: `answer for ${lensOf(raw)}` }));
    const first = await run(['reviewer', '--artefact', 'src/', '--each-lens', 'risks,security', '--merge', ...s.args], { cwd: s.dir, env: s.env });
    expect(first.code).toBe(1);
    expect(worker(manifestOf(s.runDir), 'merge').status).toBe('succeeded');
    const firstMerge = s.server.requests.filter((r) => isMerge(r.raw));
    expect(firstMerge).toHaveLength(1);
    expect(firstMerge[0]?.raw).not.toContain('answer for risks');

    broken = false;
    const resumed = await resume([s.runDir], { cwd: s.dir, env: s.env });
    expect(resumed.code).toBe(0);
    const merges = s.server.requests.filter((r) => isMerge(r.raw));
    expect(merges).toHaveLength(2);
    // The merge that made the run succeed saw the recovered answer, and the others.
    expect(merges[1]?.raw).toContain('answer for risks');
    expect(merges[1]?.raw).toContain('answer for security');
    const manifest = manifestOf(s.runDir);
    expect(manifest.status).toBe('succeeded');
    expect(manifest.workers.map((w) => [w.id, w.status, w.attempts.length])).toEqual([
      ['reviewer-risks', 'succeeded', 2],
      ['reviewer-security', 'succeeded', 1],
      ['merge', 'succeeded', 2],
    ]);
  });

  test('--retries: a 500 then a good answer succeeds on the second attempt', async () => {
    const s = setup(({ index }) => (index === 0 ? { status: 500 } : { text: 'second time lucky' }));
    const result = await run(['scout', '--target', 'x', '--retries', '1', '--set', 'retry-delay=100ms', ...s.args], { cwd: s.dir, env: s.env });
    expect(result.code).toBe(0);
    expect(worker(manifestOf(s.runDir), 'scout')).toMatchObject({ status: 'succeeded', attempts: nAttempts(2), error: null });
    expect(readFileSync(join(s.runDir, 'scout', 'last-message.md'), 'utf8').trim()).toBe('second time lucky');
  });

  test('a model that never answers: --timeout ends the worker and its whole tree', async () => {
    const s = setup(() => ({ hang: true }));
    const pending = run(['scout', '--target', 'x', '--timeout', '4s', '--set', 'grace=1s', ...s.args], { cwd: s.dir, env: s.env });
    const pids = await workerPids(s.runDir, 1);
    const result = await pending;
    expect(result.code).toBe(1);
    expect(worker(manifestOf(s.runDir), 'scout')).toMatchObject({ status: 'timed-out', error: 'timed out after 4 s' });
    expect(pids.filter(alive)).toEqual([]);
  });

  test("a worker given npm's launcher (node_modules/.bin/codex) is codex's native binary itself, with the environment the launcher gives it; the manifest names the launcher", async () => {
    const s = setup(() => ({ text: 'done', delayMs: 3000 }));
    const pending = run(['scout', '--target', 'x', ...s.args], { cwd: s.dir, env: s.env });
    const [pid] = (await workerPids(s.runDir, 1)) as [number];
    const triple = `${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-unknown-linux-musl`;
    expect(readlinkSync(`/proc/${pid}/exe`)).toBe(realpathSync(join(packageRoot, `node_modules/@openai/codex-linux-${process.arch}/vendor/${triple}/bin/codex`)));
    expect(carriesVariable(pid, 'CODEX_MANAGED_BY_NPM', '1')).toBe(true);
    expect(carriesVariable(pid, 'CODEX_MANAGED_PACKAGE_ROOT', realpathSync(join(packageRoot, 'node_modules/@openai/codex')))).toBe(true);
    expect((await pending).code).toBe(0);
    expect(worker(manifestOf(s.runDir), 'scout').command[0]).toBe(codexBin);
  });

  test('the watchdog: a model that never answers ends the worker as unreachable, without any --timeout', async () => {
    const s = setup(() => ({ hang: true }));
    const result = await run(['scout', '--target', 'x', '--set', 'watchdog=4s', '--set', 'grace=1s', ...s.args], { cwd: s.dir, env: s.env });
    expect(result.code).toBe(1);
    expect(worker(manifestOf(s.runDir), 'scout')).toMatchObject({ status: 'failed', pid: null, error: 'model unreachable: no progress from codex for 4s (nothing after: thinking)' });
  });

  test('a model endpoint nobody listens on: the run stops before any worker, naming it, in well under a second', async () => {
    const server = await startMockModel();
    const home = makeCodexHome(server);
    scratch.later(() => home.cleanup());
    await server.close();
    const dir = scratch.dir();
    const runDir = join(dir, 'run');
    const started = Date.now();
    const result = await run(['scout', '--target', 'x', '--set', `codex-bin=${codexBin}`, '--run-dir', runDir], { cwd: dir, env: home.env });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`the model endpoint ${server.url} (provider \`mock\`, from `);
    expect(existsSync(runDir)).toBe(false);
  });

  test('a model endpoint that goes away once the run has started: codex keeps reconnecting, and the worker fails naming it (the watchdog, or 30 s, whichever is shorter)', async () => {
    // An endpoint that answers the runner's check and is gone by the time codex connects.
    const gate = createServer((socket) => {
      socket.destroy();
      gate.close();
    });
    await new Promise<void>((resolve) => gate.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(gate.address() as AddressInfo).port}/v1`;
    const home = makeCodexHome({ url });
    scratch.later(() => home.cleanup());
    const dir = scratch.dir();
    const runDir = join(dir, 'run');
    const result = await run(['scout', '--target', 'x', '--set', 'watchdog=4s', '--set', 'grace=1s', '--set', `codex-bin=${codexBin}`, '--run-dir', runDir], { cwd: dir, env: home.env });
    expect(result.code).toBe(1);
    const w = worker(manifestOf(runDir), 'scout');
    expect(w.status).toBe('failed');
    expect(w.error).toMatch(new RegExp(`^model unreachable: codex kept reconnecting to ${url.replace(/[.]/g, '\\.')} for 4s \\(last error: Reconnecting\\.\\.\\. .*\\)$`));
  });

  test('a stream cut mid-response fails the worker with the stream error', async () => {
    const s = setup(() => ({ cut: true }));
    const result = await run(['scout', '--target', 'x', ...s.args], { cwd: s.dir, env: s.env });
    expect(result.code).toBe(1);
    const w = worker(manifestOf(s.runDir), 'scout');
    expect(w).toMatchObject({ status: 'failed', exitCode: 1 });
    expect(w.error).toMatch(/stream disconnected before completion/);
  });

  test('Ctrl-C: exit 130, no codex process left, the manifest says canceled', async ({ onTestFinished }) => {
    const s = setup(() => ({ hang: true }));
    const child = spawn(process.execPath, [binPath, 'run', 'reviewer', '--artefact', 'x', '--each-lens', 'risks,security', '--set', 'grace=2s', ...s.args], {
      cwd: s.dir,
      env: { ...process.env, ...s.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    onTestFinished(() => void child.kill('SIGKILL'));
    const exited = new Promise<number | null>((resolveExit) => child.on('exit', (code) => resolveExit(code)));
    const pids = await workerPids(s.runDir, 2);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const manifest = manifestOf(s.runDir);
    expect(manifest.status).toBe('canceled');
    expect(manifest.workers.map((w) => w.status)).toEqual(['canceled', 'canceled']);
    expect(pids.filter(alive)).toEqual([]);
  });

  test('a 200 KB context pack goes through stdin', async () => {
    const s = setup(() => ({ text: 'read it' }));
    const big = `${'word '.repeat(40_000)}END-OF-PACK`;
    writeFileSync(join(s.dir, 'pack.md'), `## Goal\n\nFind the end.\n\n## Pointers\n\n${big}\n`);
    const result = await run(['scout', '--target', 'x', '--context-pack', 'pack.md', ...s.args], { cwd: s.dir, env: s.env });
    expect(result.code).toBe(0);
    const w = worker(manifestOf(s.runDir), 'scout');
    expect(w.promptBytes).toBeGreaterThan(200_000);
    expect(result.stderr).toMatch(/^orch-prompt: warning: scout: prompt is about \d+ tokens, over the budget of 12000/);
    expect(s.server.requests[0]?.raw).toContain('END-OF-PACK');
  });

  test('--structured: the schema reaches the model; a valid final message passes, an invalid one fails the worker', async () => {
    const s = setup(({ raw }) => ({ text: lensOf(raw) === 'risks' ? JSON.stringify({ summary: 's', findings: [finding('Race', 'a.ts:1', 'high', 'risks')], residual_risks: [] }) : JSON.stringify({ summary: 's', residual_risks: [] }) }));
    const result = await run(['reviewer', '--artefact', 'src/', '--each-lens', 'risks,clarity', '--structured', ...s.args], { cwd: s.dir, env: s.env });
    expect(result.code).toBe(1);
    expect(s.server.requests.every((r) => r.raw.includes('json_schema'))).toBe(true);
    const manifest = manifestOf(s.runDir);
    expect(worker(manifest, 'reviewer-risks')).toMatchObject({ status: 'succeeded', structured: { valid: true, errors: [] } });
    expect(worker(manifest, 'reviewer-clarity')).toMatchObject({
      status: 'failed',
      structured: { valid: false, errors: ["(root) must have required property 'findings'"] },
      error: "final message does not match the output schema of `reviewer`: (root) must have required property 'findings'",
    });
    expect(existsSync(join(s.runDir, 'reviewer-risks', 'output-schema.json'))).toBe(true);
  });

  test('--structured --merge de-duplicates findings by location and issue, ranks by severity, credits lenses', async () => {
    const s = setup(({ raw }) => {
      const lens = lensOf(raw);
      const findings = lens === 'risks' ? [finding('Race in cache', 'a.ts:10', 'medium', 'risks'), finding('Unbounded retry', 'b.ts:5', 'low', 'risks')] : [finding('race in cache.', 'a.ts:10', 'critical', 'security')];
      return { text: JSON.stringify({ summary: lens, findings, residual_risks: [] }) };
    });
    const result = await run(['reviewer', '--artefact', 'src/', '--each-lens', 'risks,security', '--structured', '--merge', '--format', 'json', ...s.args], { cwd: s.dir, env: s.env });
    expect(result.code).toBe(0);
    expect(s.server.requests).toHaveLength(2); // no model call for the merge
    const summary = JSON.parse(result.stdout) as { merged: string; status: string };
    expect(summary).toMatchObject({ status: 'succeeded', merged: join(s.runDir, 'merged.md') });
    const merged = JSON.parse(readFileSync(join(s.runDir, 'merged.json'), 'utf8')) as { findings: Array<{ severity: string; title: string; lenses: string[] }> };
    expect(merged.findings.map((f) => [f.severity, f.title, f.lenses])).toEqual([
      ['critical', 'Race in cache', ['risks', 'security']],
      ['low', 'Unbounded retry', ['risks']],
    ]);
  });

  test('--structured --merge credits the lens each finding names: one worker with two lenses', async () => {
    const s = setup(() => ({
      text: JSON.stringify({ summary: 's', findings: [finding('Shell injection', 'run.ts:4', 'critical', 'security'), finding('No timeout', 'run.ts:9', 'medium', 'risks')], residual_risks: ['no test for Ctrl-C'] }),
    }));
    const result = await run(['reviewer', '--artefact', 'src/', '--lens', 'risks', '--lens', 'security', '--structured', '--merge', ...s.args], { cwd: s.dir, env: s.env });
    expect(result.code).toBe(0);
    const merged = JSON.parse(readFileSync(join(s.runDir, 'merged.json'), 'utf8')) as { findings: Array<{ title: string; lenses: string[] }> };
    expect(merged.findings.map((f) => [f.title, f.lenses])).toEqual([
      ['Shell injection', ['security']],
      ['No timeout', ['risks']],
    ]);
    expect(readFileSync(join(s.runDir, 'merged.md'), 'utf8')).toContain('found by: security\n');
  });

  test('--structured --merge reads each role by its schema: the verifier\'s issues merge with the reviewer\'s findings', async () => {
    const s = setup(({ raw }) =>
      raw.includes('Verify that')
        ? { text: JSON.stringify({ verdict: 'fail', summary: 's', checks: [{ name: 'npm test', result: 'fail', detail: 'race' }], issues: [finding('race in cache', 'a.ts:10', 'critical'), finding('Docs stale', 'README.md', 'low')] }) }
        : { text: JSON.stringify({ summary: 's', findings: [finding('Race in cache', 'a.ts:10', 'medium', 'risks')], residual_risks: [] }) },
    );
    writeFileSync(join(s.dir, 'plan.yaml'), 'stages:\n  - name: check\n    workers:\n      - {role: reviewer, id: review, lenses: [risks], params: {artefact: src/}}\n      - {role: verifier, id: verify, params: {artefact: src/}}\n');
    const result = await run(['--plan', 'plan.yaml', '--structured', '--merge', ...s.args], { cwd: s.dir, env: s.env });
    expect(result.code).toBe(0);
    const merged = JSON.parse(readFileSync(join(s.runDir, 'merged.json'), 'utf8')) as { workers: string[]; findings: Array<{ severity: string; title: string; sources: string[] }> };
    expect(merged.workers).toEqual(['review', 'verify']);
    expect(merged.findings.map((f) => [f.severity, f.title, f.sources])).toEqual([
      ['critical', 'Race in cache', ['review', 'verify']],
      ['low', 'Docs stale', ['verify']],
    ]);
  });

  test('--structured --merge when every worker failed validation: says so, never "No findings", and the run fails', async () => {
    const s = setup(() => ({ text: 'not JSON at all' }));
    const result = await run(['reviewer', '--artefact', 'src/', '--each-lens', 'risks,security', '--structured', '--merge', ...s.args], { cwd: s.dir, env: s.env });
    expect(result.code).toBe(1);
    const md = readFileSync(join(s.runDir, 'merged.md'), 'utf8');
    expect(md).not.toContain('No findings');
    expect(md).toMatch(/^# Nothing merged\n\nNo worker returned a valid structured result, so there is nothing to merge:\n\n- reviewer-risks: failed: final message does not match the output schema of `reviewer`: the final message is not JSON/);
    expect(result.stderr).toContain('orch-prompt: run: --merge: nothing to merge, no worker returned a valid structured result');
    expect(manifestOf(s.runDir).status).toBe('failed');
  });
});

/** Whether process `pid` runs node (else it runs what node replaced itself with). */
function runsNode(pid: number): boolean {
  try {
    return /\/node$/.test(readlinkSync(`/proc/${pid}/exe`));
  } catch {
    return true; // not there yet, or gone: not ready
  }
}

/** Wait (up to a minute: a loaded machine starts codex slowly) until `count` workers run, then return their pids and their descendants' (the codex tree). */
async function workerPids(runDir: string, count: number): Promise<number[]> {
  for (let i = 0; i < 600; i++) {
    await new Promise((r) => setTimeout(r, 100));
    if (!existsSync(join(runDir, 'manifest.json'))) continue;
    let manifest;
    try {
      manifest = manifestOf(runDir);
    } catch {
      continue;
    }
    const leaders = manifest.workers.map((w) => w.pid).filter((p): p is number => p !== null);
    if (leaders.length < count) continue;
    // The runner starts codex's native binary itself; a launcher it left in place (another
    // layout) starts it as its child (Node 20 and 22) or in its own place (process.execve, Node
    // 23.11 and later): take the tree once no worker is a launcher still on its way.
    if (!leaders.every((p) => descendants(p).length > 0 || !runsNode(p))) continue;
    return leaders.flatMap((p) => [p, ...descendants(p)]);
  }
  throw new Error('workers did not start');
}

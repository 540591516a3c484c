import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { alive } from '../../src/run/local/process-tree.js';
import { reconnectLimitMs } from '../../src/run/local/worker-stop.js';
import { main } from '../../src/cli/main.js';
import { executors, planResume, runKinds, startRun } from '../../src/run/index.js';
import { binPath, runMain } from '../support/cli.js';
import { canFillDisk, runOnSmallDisk } from '../support/small-disk.js';
import { fakeCodex, killRunnerMidRun, killWhenDone, liveFrom, manifestOf, maxOverlap, nAttempts, pidsIn, resume, run, tempDir, worker, writeSealed } from './helpers.js';

// The runner against a fake `codex` (fast, deterministic); the real binary is in e2e.test.ts.
const base = (dir: string): string[] => ['--set', `codex-bin=${fakeCodex}`, '--run-dir', join(dir, 'run')];

describe('orch-prompt run with a fake codex', () => {
  test('never more workers at once than --max-parallel, all recorded', async () => {
    const dir = tempDir();
    const lenses = 'risks,clarity,security,performance,correctness';
    const result = await run(['reviewer', '--artefact', 'src/', '--each-lens', lenses, '--max-parallel', '2', ...base(dir)], { cwd: dir, env: { FAKE_CODEX_DELAY_MS: '300' } });
    expect(result.code).toBe(0);
    const manifest = manifestOf(join(dir, 'run'));
    expect(manifest.status).toBe('succeeded');
    expect(manifest.workers.map((w) => w.id)).toEqual(lenses.split(',').map((l) => `reviewer-${l}`));
    expect(maxOverlap(manifest.workers)).toBe(2);
    for (const w of manifest.workers) {
      expect(w).toMatchObject({ status: 'succeeded', exitCode: 0, attempts: nAttempts(1), threadId: expect.stringMatching(/^fake-/), usage: { input_tokens: 42, output_tokens: 7 } });
      const prompt = readFileSync(join(dir, 'run', w.files.prompt), 'utf8');
      expect(readFileSync(join(dir, 'run', w.files.lastMessage), 'utf8')).toBe(`done ${Buffer.byteLength(prompt)}`);
      expect(readFileSync(join(dir, 'run', w.files.events), 'utf8').trim().split('\n')).toHaveLength(4);
    }
    expect(result.stdout).toContain('5/5 succeeded');
    expect(result.stdout).toContain(join(dir, 'run', 'reviewer-risks', 'last-message.md'));
  });

  test('a failure is recorded with its error text; the others still finish; exit 1', async () => {
    const dir = tempDir();
    const result = await run(['scout', '--target', 'the cli', ...base(dir)], { cwd: dir, env: { FAKE_CODEX_MODE: 'crash' } });
    expect(result.code).toBe(1);
    const w = worker(manifestOf(join(dir, 'run')), 'scout');
    expect(w).toMatchObject({ status: 'failed', exitCode: 3, error: 'thread panicked: something broke' });
    expect(readFileSync(join(dir, 'run', w.files.stderr), 'utf8')).toContain('thread panicked');
  });

  test.each([
    ['writes no final message', { FAKE_CODEX_MODE: 'no-message' }, 'no final message: codex exited 0 but wrote no last-message.md'],
    ['writes an empty final message', { FAKE_CODEX_TEXT: ' \n' }, 'no final message: codex exited 0 but last-message.md is empty'],
    ['writes only invisible characters', { FAKE_CODEX_TEXT: '\u200b\u00a0\u2060\ufeff\n' }, 'no final message: codex exited 0 but last-message.md holds only invisible characters'],
  ])('a worker that exits 0 but %s has failed, and the summary lists no final message', async (_case, env, error) => {
    const dir = tempDir();
    const result = await run(['scout', '--target', 'x', ...base(dir)], { cwd: dir, env });
    expect(result.code).toBe(1);
    expect(worker(manifestOf(join(dir, 'run')), 'scout')).toMatchObject({ status: 'failed', exitCode: 0, error });
    expect(result.stdout).toContain('failed (0/1 succeeded)');
    expect(result.stdout).not.toContain('Final messages:');
    const json = await run(['scout', '--target', 'x', '--format', 'json', '--set', `codex-bin=${fakeCodex}`, '--run-dir', join(dir, 'run2')], { cwd: dir, env });
    expect((JSON.parse(json.stdout) as { workers: Array<{ lastMessage: unknown }> }).workers[0]?.lastMessage).toBe(existsSync(join(dir, 'run2', 'scout', 'last-message.md')) ? join(dir, 'run2', 'scout', 'last-message.md') : null);
  });

  test('--retries retries a stream error with backoff and then succeeds', async () => {
    const dir = tempDir();
    const counter = join(dir, 'count');
    const result = await run(['scout', '--target', 'x', '--retries', '2', '--set', 'retry-delay=50ms', ...base(dir)], {
      cwd: dir,
      env: { FAKE_CODEX_MODE: 'flaky', FAKE_CODEX_COUNTER: counter, FAKE_CODEX_FAILS: '2' },
    });
    expect(result.code).toBe(0);
    const w = worker(manifestOf(join(dir, 'run')), 'scout');
    expect(w).toMatchObject({ status: 'succeeded', attempts: nAttempts(3), error: null });
    // Every attempt is kept: in the manifest, in events.jsonl and in stderr.log.
    const cut = 'stream disconnected before completion: connection reset';
    expect(w.attempts.map((a) => [a.n, a.outcome, a.exitCode, a.error])).toEqual([
      [1, 'failed', 1, cut],
      [2, 'failed', 1, cut],
      [3, 'succeeded', 0, null],
    ]);
    expect(w.durationMs).toBe(w.attempts.reduce((sum, a) => sum + (a.durationMs as number), 0));
    expect(w.startedAt).toBe(w.attempts[0]?.startedAt);
    const events = readFileSync(join(dir, 'run', w.files.events), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; attempt?: number });
    expect(events.filter((e) => e.type === 'thread.started')).toHaveLength(3);
    expect(events.filter((e) => e.type === 'orch.attempt').map((e) => e.attempt)).toEqual([2, 3]);
    const stderr = readFileSync(join(dir, 'run', w.files.stderr), 'utf8');
    expect(stderr).toMatch(/^flaky run 1\n--- orch-prompt: attempt 2, started \S+ ---\nflaky run 2\n--- orch-prompt: attempt 3, started \S+ ---\nflaky run 3\n$/);
    // The time shown covers all attempts and says how many.
    expect(result.stdout).toMatch(new RegExp(`\\nscout +succeeded +${(w.durationMs as number / 1000).toFixed(1)}s +49 +3 *\\n`));
    expect(result.stderr).toMatch(/scout: succeeded in \d+\.\ds \(3 attempts\)\n/);
  });

  test('--resume --dry-run shows the plan and runs nothing; flags that change the work are refused', async () => {
    const dir = tempDir();
    const first = await run(['scout', '--target', 'x', ...base(dir)], { cwd: dir, env: { FAKE_CODEX_MODE: 'fail' } });
    expect(first.code).toBe(1);
    const before = readFileSync(join(dir, 'run', 'manifest.json'), 'utf8');
    const dry = await resume([join(dir, 'run'), '--dry-run'], { cwd: dir });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('scout');
    expect(readFileSync(join(dir, 'run', 'manifest.json'), 'utf8')).toBe(before);
    const changed = await resume([join(dir, 'run'), '--set', 'model=o3'], { cwd: dir });
    expect([changed.code, changed.stderr]).toEqual([2, `orch-prompt: runs resume ${join(dir, 'run')}: model cannot change when a run is resumed (it would change what a worker is)\n`]);
    const flag = await resume([join(dir, 'run'), '--each-lens', 'risks'], { cwd: dir });
    expect([flag.code, flag.stderr]).toEqual([2, 'orch-prompt: runs resume: unknown flag `--each-lens`; see `orch-prompt runs resume --help`\n']);
    expect(readFileSync(join(dir, 'run', 'manifest.json'), 'utf8')).toBe(before);
  });

  test('a run that did not succeed names the command that continues it; --resume may choose the program (this invocation\'s, never the folder\'s)', async () => {
    const dir = tempDir();
    const runDir = join(dir, 'run');
    const first = await run(['scout', '--target', 'x', ...base(dir)], { cwd: dir, env: { FAKE_CODEX_MODE: 'fail' } });
    expect(first.stdout).toContain(`Manifest: ${join(runDir, 'manifest.json')}\nContinue it: orch-prompt runs resume ${runDir}\n`);
    // A copy of the fake codex elsewhere, named on the command line, runs the retry.
    const copy = join(dir, 'my-codex');
    writeFileSync(copy, readFileSync(fakeCodex));
    chmodSync(copy, 0o755);
    const resumed = await resume([runDir, '--set', `codex-bin=${copy}`], { cwd: dir });
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).not.toContain('Continue it:');
    expect(worker(manifestOf(runDir), 'scout').command[0]).toBe(copy);
  });

  test('--resume rebuilds the work from the run folder, never from the stored command line', async () => {
    const dir = tempDir();
    const runDir = join(dir, 'run');
    writeFileSync(join(dir, 'plan.yaml'), 'stages:\n  - name: a\n    workers:\n      - {role: scout, id: first, params: {target: x}}\n  - name: b\n    workers:\n      - {role: verifier, id: check, params: {artefact: y}, inputs: [a]}\n');
    expect((await run(['--plan', 'plan.yaml', ...base(dir)], { cwd: dir, env: { FAKE_CODEX_MODE: 'fail' } })).code).toBe(1);
    const prompt = readFileSync(join(runDir, 'first', 'prompt.md'), 'utf8');
    // The stored command line is for the record only: resuming must not depend on it.
    const stored = manifestOf(runDir);
    writeSealed(runDir, { ...stored, argv: ['--plan', 'gone.yaml', '--set', 'codex-bin=/nowhere'] });
    rmSync(join(dir, 'plan.yaml'));
    const resumed = await resume([runDir], { cwd: dir });
    expect(resumed.code).toBe(0);
    expect(manifestOf(runDir).workers.map((w) => [w.id, w.status])).toEqual([
      ['first', 'succeeded'],
      ['check', 'succeeded'],
    ]);
    expect(readFileSync(join(runDir, 'check', 'prompt.md'), 'utf8')).toContain(`done ${Buffer.byteLength(prompt)}`);
  });

  test.each([
    ['a final message path leading out', (m: Record<string, any>) => (m.workers[0].files.lastMessage = '../../../../etc/hostname'), 'workers[0].files.lastMessage: `../../../../etc/hostname` leads outside the run folder'],
    ['a null worker', (m: Record<string, any>) => (m.workers = [null]), 'workers[0]: must be object'],
    ['no argv', (m: Record<string, any>) => delete m.argv, 'needs `argv`'],
    ['a worker id that is a path', (m: Record<string, any>) => (m.workers[0].id = '../escape'), 'workers[0].id: must match pattern "^[a-z0-9][a-z0-9-]*$"'],
    ['a worker folder outside the project', (m: Record<string, any>) => (m.workers[0].cwd = '/'), 'workers[0].cwd: `/` is not inside the project folder'],
    ['a string for a number', (m: Record<string, any>) => (m.options.maxParallel = '4'), 'options.maxParallel: must be integer'],
    ['a number for the model a worker ran', (m: Record<string, any>) => (m.workers[0].attempts[0].modelUsed = 5), 'workers[0].attempts[0].modelUsed: must be string'],
  ])('--resume never trusts the manifest: %s is one line, exit 2, nothing runs', async (_case, tamper, message) => {
    const dir = tempDir();
    const runDir = join(dir, 'run');
    expect((await run(['scout', '--target', 'x', ...base(dir)], { cwd: dir, env: { FAKE_CODEX_MODE: 'fail' } })).code).toBe(1);
    const manifest = manifestOf(runDir) as unknown as Record<string, any>;
    tamper(manifest);
    writeFileSync(join(runDir, 'manifest.json'), JSON.stringify(manifest));
    const before = readFileSync(join(runDir, 'manifest.json'), 'utf8');
    const resumed = await resume([runDir], { cwd: dir });
    expect(resumed.code).toBe(2);
    expect(resumed.stderr.startsWith(`orch-prompt: runs resume: ${join(runDir, 'manifest.json')}: ${message}`)).toBe(true);
    expect(resumed.stderr.split('\n')).toHaveLength(2);
    expect(readFileSync(join(runDir, 'manifest.json'), 'utf8')).toBe(before);
    // The same error, code manifest-invalid, exits 2 whichever command meets it.
    const shown = await runMain(['runs', 'show', runDir], { cwd: dir });
    expect(shown.code).toBe(2);
    expect(shown.stderr.split('\n')).toHaveLength(2);
  });

  test('a non-transient failure is not retried', async () => {
    const dir = tempDir();
    const result = await run(['scout', '--target', 'x', '--retries', '2', '--set', 'retry-delay=10ms', ...base(dir)], { cwd: dir, env: { FAKE_CODEX_MODE: 'fail' } });
    expect(result.code).toBe(1);
    expect(worker(manifestOf(join(dir, 'run')), 'scout')).toMatchObject({ status: 'failed', attempts: nAttempts(1), error: 'unexpected status 400 Bad Request: bad prompt' });
  });

  test('--timeout ends the whole process tree of the worker', async () => {
    const dir = tempDir();
    const pids = join(dir, 'pids');
    const result = await run(['scout', '--target', 'x', '--timeout', '1s', '--set', 'grace=300ms', ...base(dir)], { cwd: dir, env: { FAKE_CODEX_MODE: 'hang', FAKE_CODEX_PIDS: pids } });
    expect(result.code).toBe(1);
    const w = worker(manifestOf(join(dir, 'run')), 'scout');
    expect(w).toMatchObject({ status: 'timed-out', error: 'timed out after 1 s', pid: null });
    const recorded = readFileSync(pids, 'utf8').trim().split('\n').map(Number);
    expect(recorded).toHaveLength(2);
    for (const pid of recorded) expect(alive(pid)).toBe(false);
  });

  test('--timeout ends a worker that ignores SIGTERM: SIGKILL once the grace period is over', async () => {
    const dir = tempDir();
    const pids = join(dir, 'pids');
    killWhenDone(undefined, pids);
    const result = await run(['scout', '--target', 'x', '--timeout', '1s', '--set', 'grace=300ms', ...base(dir)], { cwd: dir, env: { FAKE_CODEX_MODE: 'stubborn', FAKE_CODEX_PIDS: pids } });
    expect(result.code).toBe(1);
    expect(worker(manifestOf(join(dir, 'run')), 'scout')).toMatchObject({ status: 'timed-out', error: 'timed out after 1 s', pid: null });
    expect(pidsIn(pids)).toHaveLength(2);
    expect(liveFrom(pids)).toEqual([]);
  });

  test('a worker that exits leaves nothing running: what it started in the background ends with it', async () => {
    const dir = tempDir();
    const pids = join(dir, 'pids');
    killWhenDone(undefined, pids);
    const result = await run(['scout', '--target', 'x', ...base(dir)], { cwd: dir, env: { FAKE_CODEX_LEAVE: '1', FAKE_CODEX_PIDS: pids } });
    expect(result.code).toBe(0);
    expect(pidsIn(pids)).toHaveLength(1);
    expect(liveFrom(pids)).toEqual([]);
  });

  test.each([
    ['escape', true],
    ['escape-env', false],
    ['own-session', true],
  ])('--timeout holds when a descendant escapes to its own session and keeps stdout open (%s)', async (mode, ended) => {
    const dir = tempDir();
    const pids = join(dir, 'pids');
    killWhenDone(undefined, pids, `${pids}.escaped`);
    const result = await run(['scout', '--target', 'x', '--timeout', '3s', '--set', 'grace=300ms', ...base(dir)], { cwd: dir, env: { FAKE_CODEX_MODE: mode, FAKE_CODEX_PIDS: pids } });
    expect(result.code).toBe(1);
    const manifest = manifestOf(join(dir, 'run'));
    expect(manifest.status).toBe('failed');
    expect(worker(manifest, 'scout')).toMatchObject({ status: 'timed-out', error: 'timed out after 3 s', pid: null });
    expect(pidsIn(pids)).toHaveLength(1);
    expect(liveFrom(pids)).toEqual([]);
    // It carries the worker's mark in its environment, or is still codex's child (found in
    // /proc), so it is found and ended too; one that dropped its environment and left codex's
    // tree cannot be found, but no longer holds the run up.
    const [escaped] = pidsIn(`${pids}.escaped`);
    expect(alive(escaped as number)).toBe(!ended);
  });

  test.skipIf(!canFillDisk).each([
    ['events.jsonl', {}],
    ['stderr.log', { FAKE_CODEX_FLOOD_TO: 'stderr' }],
  ])('a disk that fills up under %s fails the worker cleanly, and the manifest still says why', (file, env) => {
    const dir = tempDir();
    const runDir = join(dir, 'run');
    // 1.4 MB: the run's own record fits, the worker's 4 MB of output does not; when the disk is
    // full the record can still be written once more (the runner keeps space aside for it).
    const result = runOnSmallDisk(['run', 'scout', '--target', 'x', ...base(dir)], { cwd: dir, env: { FAKE_CODEX_MODE: 'flood', FAKE_CODEX_MB: '4', ...env }, mountAt: runDir, size: '1400k', copyTo: join(dir, 'left') });
    expect(result.code).toBe(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    const manifest = manifestOf(join(dir, 'left'));
    expect(manifest.status).toBe('failed');
    expect(worker(manifest, 'scout')).toMatchObject({ status: 'failed', pid: null, error: `cannot write ${join(runDir, 'scout', file)}: no space left on the device` });
    expect(existsSync(join(dir, 'left', '.reserve'))).toBe(false);
  });

  test('a link in place of a log is not written through: the worker fails, the target stays as it was', async () => {
    const dir = tempDir();
    const runDir = join(dir, 'run');
    mkdirSync(join(runDir, 'scout'), { recursive: true });
    writeFileSync(join(dir, 'elsewhere'), 'untouched\n');
    symlinkSync(join(dir, 'elsewhere'), join(runDir, 'scout', 'events.jsonl'));
    const result = await run(['scout', '--target', 'x', ...base(dir)], { cwd: dir });
    expect(result.code).toBe(1);
    expect(worker(manifestOf(runDir), 'scout')).toMatchObject({ status: 'failed', attempts: nAttempts(1), error: `cannot write ${join(runDir, 'scout', 'events.jsonl')}: it is a symbolic link, which is not followed in a run folder` });
    expect(readFileSync(join(dir, 'elsewhere'), 'utf8')).toBe('untouched\n');
  });

  test('a manifest that can no longer be written stops the run: one line, exit 1, no worker left', async () => {
    const dir = tempDir();
    const pids = join(dir, 'pids');
    const runDir = join(dir, 'run');
    const child = spawn(process.execPath, [binPath, 'run', 'scout', '--target', 'x', '--timeout', '2s', '--set', 'grace=100ms', ...base(dir)], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1', FAKE_CODEX_MODE: 'hang', FAKE_CODEX_PIDS: pids },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    killWhenDone(child, pids);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolveExit) => child.on('exit', (code) => resolveExit(code)));
    for (let i = 0; i < 100 && !existsSync(pids); i++) await new Promise((r) => setTimeout(r, 100));
    // The run folder goes away while the worker runs; a file takes its place.
    renameSync(runDir, join(dir, 'moved'));
    writeFileSync(runDir, 'not a folder');
    expect(await exited).toBe(1);
    expect(stderr).toContain(`orch-prompt: run: cannot write ${join(runDir, 'manifest.json')}: part of the path is a file, not a folder\n`);
    expect(stderr).not.toMatch(/\n\s+at |internal error|Unhandled/);
    expect(liveFrom(pids)).toEqual([]);
  });

  test('the watchdog ends a worker whose model is out of reach: codex sends nothing at all', async () => {
    const dir = tempDir();
    const pids = join(dir, 'pids');
    killWhenDone(undefined, pids);
    const result = await run(['scout', '--target', 'x', '--set', 'watchdog=2s', '--set', 'grace=200ms', ...base(dir)], { cwd: dir, env: { FAKE_CODEX_MODE: 'silent', FAKE_CODEX_PIDS: pids } });
    expect(result.code).toBe(1);
    expect(worker(manifestOf(join(dir, 'run')), 'scout')).toMatchObject({ status: 'failed', pid: null, error: 'model unreachable: no progress from codex for 2s (nothing after: thinking)' });
    expect(liveFrom(pids)).toEqual([]);
  });

  test('a worker whose codex only reconnects fails naming the endpoint (within 30 s, or the watchdog when shorter); no other worker of that endpoint starts', async () => {
    const dir = tempDir();
    const pids = join(dir, 'pids');
    killWhenDone(undefined, pids);
    const config = readFileSync(join(process.env['CODEX_HOME'] as string, 'config.toml'), 'utf8');
    const endpoint = /base_url = "([^"]+)"/.exec(config)?.[1] as string;
    const started = Date.now();
    const result = await run(['reviewer', '--artefact', 'src/', '--each-lens', 'risks,security,clarity', '--max-parallel', '1', '--set', 'watchdog=2s', '--set', 'grace=200ms', ...base(dir)], { cwd: dir, env: { FAKE_CODEX_MODE: 'reconnect', FAKE_CODEX_PIDS: pids } });
    expect(result.code).toBe(1);
    const manifest = manifestOf(join(dir, 'run'));
    const why = `model unreachable: codex kept reconnecting to ${endpoint} for 2s (last error: Reconnecting... waiting for network (Connection failed: error sending request))`;
    expect(manifest.workers.map((w) => [w.id, w.status, w.error, w.attempts.length])).toEqual([
      ['reviewer-risks', 'failed', why, 1],
      ['reviewer-security', 'canceled', `not started: another worker found the model out of reach (${why})`, 0],
      ['reviewer-clarity', 'canceled', `not started: another worker found the model out of reach (${why})`, 0],
    ]);
    // One worker's wait, not three.
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(liveFrom(pids)).toEqual([]);
    expect(reconnectLimitMs).toBe(30_000);
  });

  test.each([
    ['starts a sub-agent', 'spawn-agent', 'sub-agent', 'started a sub-agent (spawn_agent)'],
    ['runs codex exec', 'nested-codex', 'nested-codex', "ran `/bin/bash -lc 'codex exec --json -'`, which starts workers of its own"],
    ['edits files in a read-only role', 'edit', 'read-only-edit', 'changed files (src/a.ts) although its role is read-only'],
  ])('the recursion guard: a worker that %s is ended and failed, and the manifest records it', async (_case, mode, kind, detail) => {
    const dir = tempDir();
    const pids = join(dir, 'pids');
    killWhenDone(undefined, pids);
    const result = await run(['scout', '--target', 'x', '--set', 'grace=200ms', ...base(dir)], { cwd: dir, env: { FAKE_CODEX_MODE: mode, FAKE_CODEX_PIDS: pids } });
    expect(result.code).toBe(1);
    expect(worker(manifestOf(join(dir, 'run')), 'scout')).toMatchObject({ status: 'failed', pid: null, error: `guard: ${detail}`, violations: [{ kind, detail, attempt: 1 }] });
    if (existsSync(pids)) expect(liveFrom(pids)).toEqual([]);
  });

  test('the watchdog does not end a worker while its command runs (that is what --timeout is for)', async () => {
    const dir = tempDir();
    const pids = join(dir, 'pids');
    killWhenDone(undefined, pids);
    const result = await run(['scout', '--target', 'x', '--set', 'watchdog=1s', '--timeout', '3s', '--set', 'grace=200ms', ...base(dir)], { cwd: dir, env: { FAKE_CODEX_MODE: 'hang', FAKE_CODEX_PIDS: pids } });
    expect(result.code).toBe(1);
    expect(worker(manifestOf(join(dir, 'run')), 'scout')).toMatchObject({ status: 'timed-out', error: 'timed out after 3 s' });
  });

  test('a run folder that cannot be created: the preflight says so in one line, exit 2, nothing runs', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), '');
    const argsLog = join(dir, 'args');
    const result = await run(['scout', '--target', 'x', '--set', `codex-bin=${fakeCodex}`, '--run-dir', join(dir, 'file', 'run')], { cwd: dir, env: { FAKE_CODEX_ARGS: argsLog } });
    // The preflight finds it before anything starts: one line with the fix, exit 2.
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`orch-prompt: run: cannot start codex exec workers here: the run folder ${join(dir, 'file', 'run')} cannot be created (${join(dir, 'file')} is not a folder). Fix: choose a writable folder with --run-dir\n`);
    expect(result.stdout).toBe('');
    expect(existsSync(argsLog)).toBe(false);
  });

  test('--fail-fast stops the running workers and starts no more', async () => {
    const dir = tempDir();
    const pids = join(dir, 'pids');
    writeFileSync(
      join(dir, 'plan.yaml'),
      'stages:\n  - name: a\n    workers:\n      - {role: scout, id: slow, params: {target: fake-mode=hang}}\n      - {role: scout, id: bad, params: {target: fake-mode=fail}}\n  - name: b\n    workers:\n      - {role: scout, id: later, params: {target: y}}\n',
    );
    const result = await run(['--plan', 'plan.yaml', '--fail-fast', '--set', 'grace=300ms', ...base(dir)], { cwd: dir, env: { FAKE_CODEX_PIDS: pids, FAKE_CODEX_DELAY_MS: '200' } });
    expect(result.code).toBe(1);
    const manifest = manifestOf(join(dir, 'run'));
    expect(manifest.status).toBe('failed');
    expect(manifest.workers.map((w) => [w.id, w.status, w.error])).toEqual([
      ['slow', 'canceled', 'stopped: another worker failed (--fail-fast)'],
      ['bad', 'failed', 'unexpected status 400 Bad Request: bad prompt'],
      ['later', 'canceled', 'not started: an earlier worker failed (--fail-fast)'],
    ]);
    expect(pidsIn(pids).length).toBeGreaterThan(0);
    expect(liveFrom(pids)).toEqual([]);
  });

  test('a worker whose input stages produced nothing is not started', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'plan.yaml'), 'stages:\n  - name: a\n    workers:\n      - {role: scout, id: bad, params: {target: x}}\n  - name: b\n    workers:\n      - {role: verifier, id: check, params: {artefact: y}, inputs: [a]}\n');
    const result = await run(['--plan', 'plan.yaml', ...base(dir)], { cwd: dir, env: { FAKE_CODEX_MODE: 'fail' } });
    expect(result.code).toBe(1);
    expect(worker(manifestOf(join(dir, 'run')), 'check')).toMatchObject({ status: 'canceled', error: 'not started: no final message from `a`', attempts: [] });
  });

  test('a run folder is never reused by accident', async () => {
    const dir = tempDir();
    expect((await run(['scout', '--target', 'x', ...base(dir)], { cwd: dir })).code).toBe(0);
    const again = await run(['scout', '--target', 'x', ...base(dir)], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toBe(`orch-prompt: run: ${join(dir, 'run')} already holds a run; continue it with \`orch-prompt runs resume ${join(dir, 'run')}\`, or choose another --run-dir\n`);
  });

  test('a runner killed outright: the run shows as interrupted; --resume ends its orphans and finishes it', async () => {
    const dir = tempDir();
    const pids = join(dir, 'pids');
    const runDir = join(dir, 'run');
    await killRunnerMidRun(['scout', '--target', 'x', ...base(dir)], { cwd: dir, env: { FAKE_CODEX_MODE: 'hang' }, pids });
    const orphans = readFileSync(pids, 'utf8').trim().split('\n').map(Number);
    expect(liveFrom(pids)).toEqual(orphans);
    expect(worker(manifestOf(runDir), 'scout').status).toBe('running');
    const listed = await runMain(['runs', 'show', runDir, '--format', 'json'], { cwd: dir });
    expect(JSON.parse(listed.stdout)).toMatchObject({ status: 'interrupted' });

    // The resumed worker fails if it starts while an orphan still runs.
    const resumed = await resume([runDir], { cwd: dir, env: { FAKE_CODEX_GONE: pids } });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(liveFrom(pids)).toEqual([]);
    expect(worker(manifestOf(runDir), 'scout')).toMatchObject({ status: 'succeeded', attempts: nAttempts(2) });
  });

  test('a runner killed before it recorded its worker\'s pid: runs resume still finds the orphans by their mark', async () => {
    const dir = tempDir();
    const pids = join(dir, 'pids');
    const runDir = join(dir, 'run');
    await killRunnerMidRun(['scout', '--target', 'x', ...base(dir)], { cwd: dir, env: { FAKE_CODEX_MODE: 'hang' }, pids });
    expect(liveFrom(pids)).toHaveLength(2);
    const stored = manifestOf(runDir);
    writeSealed(runDir, { ...stored, workers: stored.workers.map((w) => ({ ...w, pid: null })) });
    const resumed = await resume([runDir], { cwd: dir, env: { FAKE_CODEX_GONE: pids } });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(liveFrom(pids)).toEqual([]);
  });

  test('runs resume never ends a process that only reuses a recorded worker\'s pid', async () => {
    const dir = tempDir();
    const runDir = join(dir, 'run');
    expect((await run(['scout', '--target', 'x', ...base(dir)], { cwd: dir, env: { FAKE_CODEX_MODE: 'fail' } })).code).toBe(1);
    const bystander = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore', detached: true });
    killWhenDone(bystander);
    const stored = manifestOf(runDir);
    writeSealed(runDir, { ...stored, status: 'running', workers: stored.workers.map((w) => ({ ...w, status: 'running', pid: bystander.pid as number })) });
    const resumed = await resume([runDir], { cwd: dir });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(alive(bystander.pid as number)).toBe(true);
  });

  test('a resume planned before another runner took the run up is refused when it starts: nothing runs twice, the record is kept', async () => {
    const dir = tempDir();
    const runDir = join(dir, 'run');
    expect((await run(['scout', '--target', 'x', ...base(dir)], { cwd: dir, env: { FAKE_CODEX_MODE: 'fail' } })).code).toBe(1);
    const kinds = runKinds(executors);
    const late = planResume(runDir, { env: process.env, kinds });
    expect((await resume([runDir], { cwd: dir })).code).toBe(0);
    const record = readFileSync(join(runDir, 'manifest.json'), 'utf8');
    expect(() => startRun(late, { env: process.env })).toThrow(/the run changed while this resume was planned/);
    expect(readFileSync(join(runDir, 'manifest.json'), 'utf8')).toBe(record);
    expect(worker(manifestOf(runDir), 'scout')).toMatchObject({ status: 'succeeded', attempts: nAttempts(2) });
  });

  test('a closed terminal (SIGHUP) stops the run like Ctrl-C: its workers end and the record says canceled', async () => {
    const dir = tempDir();
    const pids = join(dir, 'pids');
    const child = spawn(process.execPath, [binPath, 'run', 'scout', '--target', 'x', ...base(dir)], { cwd: dir, env: { ...process.env, FAKE_CODEX_MODE: 'hang', FAKE_CODEX_PIDS: pids }, stdio: 'ignore' });
    killWhenDone(child, pids);
    const exited = new Promise<number | null>((resolveExit) => child.on('exit', (code) => resolveExit(code)));
    for (let i = 0; i < 100 && !existsSync(pids); i++) await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGHUP');
    expect(await exited).toBe(130);
    expect(liveFrom(pids)).toEqual([]);
    expect(worker(manifestOf(join(dir, 'run')), 'scout')).toMatchObject({ status: 'canceled', pid: null });
  });

  test('a second Ctrl-C ends workers at once, without waiting for the grace period', async () => {
    const dir = tempDir();
    const pids = join(dir, 'pids');
    // The worker ignores SIGTERM and the grace period outlasts the test timeout: only the
    // second signal's SIGKILL can end this run in time.
    const child = spawn(process.execPath, [binPath, 'run', 'scout', '--target', 'x', '--set', 'grace=10m', ...base(dir)], { cwd: dir, env: { ...process.env, FAKE_CODEX_MODE: 'stubborn', FAKE_CODEX_PIDS: pids }, stdio: 'ignore' });
    killWhenDone(child, pids);
    const exited = new Promise<number | null>((resolveExit) => child.on('exit', (code) => resolveExit(code)));
    for (let i = 0; i < 100 && !existsSync(pids); i++) await new Promise((r) => setTimeout(r, 100));
    // Signals sent together may merge into one: repeat until the run's record is final. (Not
    // until the process ends: a signal that lands while Node tears the process down, after its
    // exit status is set, kills it by the signal whatever the program does.)
    const runDir = join(dir, 'run');
    const repeat = setInterval(() => {
      if (worker(manifestOf(runDir), 'scout').status === 'running') child.kill('SIGINT');
      else clearInterval(repeat);
    }, 300);
    child.kill('SIGINT');
    const code = await exited;
    clearInterval(repeat);
    expect(code).toBe(130);
    expect(liveFrom(pids)).toEqual([]);
    expect(worker(manifestOf(join(dir, 'run')), 'scout')).toMatchObject({ status: 'canceled', pid: null });
  });

  test('a runner process that exits while its workers run still ends them', async () => {
    const dir = tempDir();
    const pids = join(dir, 'pids');
    const script = fileURLToPath(new URL('../fixtures/run/dying-runner.mjs', import.meta.url));
    const child = spawn(process.execPath, [script, join(dir, 'run'), fakeCodex], { cwd: dir, env: { ...process.env, FAKE_CODEX_MODE: 'hang', FAKE_CODEX_PIDS: pids }, stdio: 'ignore' });
    killWhenDone(child, pids);
    expect(await new Promise((resolveExit) => child.on('exit', resolveExit))).toBe(3);
    const started = readFileSync(pids, 'utf8').trim().split('\n').map(Number);
    expect(started).toHaveLength(2);
    expect(liveFrom(pids)).toEqual([]);
  });

  test('a missing codex binary is a clear failure, not a crash', async () => {
    const dir = tempDir();
    const result = await run(['scout', '--target', 'x', '--run-dir', join(dir, 'run'), '--set', `codex-bin=${join(dir, 'no-codex')}`], { cwd: dir });
    expect(result.code).toBe(1);
    expect(worker(manifestOf(join(dir, 'run')), 'scout').error).toMatch(/^cannot run `.*no-codex`: not found/);
  });

  test('events.jsonl is written as the worker streams, complete at the end', async () => {
    const dir = tempDir();
    const result = await run(['scout', '--target', 'x', ...base(dir)], { cwd: dir, env: { FAKE_CODEX_MODE: 'flood', FAKE_CODEX_MB: '20' } });
    expect(result.code).toBe(0);
    const events = join(dir, 'run', 'scout', 'events.jsonl');
    expect(statSync(events).size).toBeGreaterThan(20 * 1024 * 1024);
    const tail = readFileSync(events, 'utf8').trimEnd().split('\n').slice(-2);
    expect(JSON.parse(tail[1] as string)).toMatchObject({ type: 'turn.completed' });
  });

  test('output read after the worker exited leaves no timer behind: the runner process ends at once', async () => {
    const dir = tempDir();
    // An event arrives after the worker exited (written by something beyond its reach).
    const result = spawnSync(process.execPath, [binPath, 'run', 'scout', '--target', 'x', ...base(dir)], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1', FAKE_CODEX_MODE: 'late-event' },
      encoding: 'utf8',
      timeout: 25_000,
    });
    expect([result.status, result.signal]).toEqual([0, null]);
  });

  test('codex gets the sandbox of the role: read-only for the verifier, workspace-write for the implementer', async () => {
    const dir = tempDir();
    const argsLog = join(dir, 'args');
    await run(['verifier', '--artefact', 'x', ...base(dir)], { cwd: dir, env: { FAKE_CODEX_ARGS: argsLog } });
    await run(['implementer', '--deliverable', 'x', '--scope', 'may edit src/ only', '--set', `codex-bin=${fakeCodex}`, '--run-dir', join(dir, 'run2'), '-m', 'o3', '-c', 'k=1'], { cwd: dir, env: { FAKE_CODEX_ARGS: argsLog } });
    const [verifier, implementer] = readFileSync(argsLog, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as string[]);
    const noSubAgents = ['--disable', 'multi_agent', '--disable', 'multi_agent_v2'];
    expect(verifier).toEqual(['exec', '--json', '-o', join(dir, 'run', 'verifier', 'last-message.md'), '--sandbox', 'read-only', ...noSubAgents, '-C', dir, '--skip-git-repo-check', '-']);
    expect(implementer?.slice(4)).toEqual(['--sandbox', 'workspace-write', ...noSubAgents, '-C', dir, '--skip-git-repo-check', '-m', 'o3', '-c', 'k=1', '-']);
  });
});

describe('git work tree: asked of git, not guessed from a .git folder', () => {
  const skips = async (cwd: string, env: Record<string, string> = {}): Promise<boolean> => {
    const result = await run(['scout', '--target', 'x', '--dry-run', '--set', 'codex-bin=codex', '--run-dir', join(cwd, 'run')], { cwd, env });
    expect(result.code).toBe(0);
    return result.stdout.includes('--skip-git-repo-check');
  };

  test('a stray .git folder above the worker folder is not a repository', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, '.git'));
    mkdirSync(join(dir, 'work'));
    expect(await skips(join(dir, 'work'))).toBe(true);
  });

  test('inside a real git work tree codex gets no --skip-git-repo-check', async () => {
    const dir = tempDir();
    execFileSync('git', ['init', '-q', dir]);
    mkdirSync(join(dir, 'sub'));
    expect(await skips(join(dir, 'sub'))).toBe(false);
  });

  test('without git on PATH the folder counts as outside a repository', async () => {
    const dir = tempDir();
    execFileSync('git', ['init', '-q', dir]);
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    symlinkSync(process.execPath, join(bin, 'node'));
    expect(await skips(dir, { PATH: bin })).toBe(true);
  });
});

describe('dry run, plans and errors', () => {
  test('--dry-run prints the matrix and runs nothing', async () => {
    const dir = tempDir();
    const result = await run(['reviewer', '--artefact', 'src/', '--each-lens', 'risks,security', '--dry-run', ...base(dir)], { cwd: dir });
    expect(result.code).toBe(0);
    expect(existsSync(join(dir, 'run'))).toBe(false);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^worker +stage +role +lenses +sandbox +model +cwd +prompt +tokens$/);
    expect(lines[1]).toMatch(new RegExp(`^reviewer-risks +main +reviewer +risks +read-only +- +${dir} +\\d+ B +~\\d+$`));
    expect(result.stdout).toContain(`reviewer-security: ${fakeCodex} exec --json -o ${join(dir, 'run', 'reviewer-security', 'last-message.md')} --sandbox read-only --disable multi_agent --disable multi_agent_v2 -C ${dir} --skip-git-repo-check - < reviewer-security/prompt.md`);
  });

  test('--dry-run --format json for machines', async () => {
    const dir = tempDir();
    const result = await run(['--plan', 'plan.yaml', '--dry-run', '--format', 'json', ...base(dir)], { cwd: fixtureDir('review-fix-verify') });
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as Array<{ id: string; sandbox: string; receives: unknown }>;
    expect(rows.map((r) => [r.id, r.sandbox])).toEqual([
      ['review-reviewer-risks', 'read-only'],
      ['review-reviewer-correctness', 'read-only'],
      ['fix', 'workspace-write'],
      ['verify-verifier', 'read-only'],
    ]);
    expect(rows[2]?.receives).toEqual({ stages: ['review'], into: 'pointers' });
  });

  test('a researcher gets live web search (its role says web-search: live): shown in the dry run, passed to codex, recorded', async () => {
    const dir = tempDir();
    const dry = await run(['researcher', '--topic', 'x', '--dry-run', ...base(dir)], { cwd: dir });
    expect(dry.stdout).toContain(`-c 'web_search="live"' -`);
    const json = await run(['researcher', '--topic', 'x', '--dry-run', '--format', 'json', ...base(dir)], { cwd: dir });
    expect(JSON.parse(json.stdout)).toMatchObject([{ id: 'researcher', webSearch: 'live' }]);
    const reviewer = await run(['reviewer', '--artefact', 'x', '--lens', 'risks', '--dry-run', '--format', 'json', ...base(dir)], { cwd: dir });
    expect(JSON.parse(reviewer.stdout)).toMatchObject([{ id: 'reviewer-risks', webSearch: null }]);
    const argsLog = join(dir, 'args');
    expect((await run(['researcher', '--topic', 'x', '-c', 'k=1', ...base(dir)], { cwd: dir, env: { FAKE_CODEX_ARGS: argsLog } })).code).toBe(0);
    expect(readFileSync(argsLog, 'utf8')).toContain('"-c","web_search=\\"live\\"","-c","k=1","-"]');
    expect(worker(manifestOf(join(dir, 'run')), 'researcher').webSearch).toBe('live');
  });

  test('web-search in a role template takes only disabled, cached or live', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'roles'));
    const researcher = readFileSync(new URL('../../templates/roles/researcher.md', import.meta.url), 'utf8');
    writeFileSync(join(dir, 'roles', 'researcher.md'), researcher.replace('web-search: live', 'web-search: always'));
    const result = await run(['researcher', '--topic', 'x', '--templates', join(dir, 'roles'), '--dry-run'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("orch-prompt: run: role `researcher` cannot be used: roles/researcher.md:2:1: `web-search` must be one of `disabled`, `cached`, `live`\n");
  });

  test('a JSON plan: the dry run shows each stage, the folder and that a prompt grows with its inputs', async () => {
    const dir = fixtureDir('json-plan');
    const result = await run(['--plan', 'plan.json', '--dry-run', '--set', 'codex-bin=codex', '--run-dir', '/tmp/r'], { cwd: dir });
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[1]).toMatch(new RegExp(`^scout-scout +scout +scout +- +read-only +- +${dir.replace(/\/$/, '')} +\\d+ B +~\\d+$`));
    expect(lines[2]).toMatch(new RegExp(`^act +act +implementer +- +workspace-write +- +${join(dir, 'sub')} +\\d+ B\\+ +~\\d+\\+$`));
    expect(result.stdout).toContain("+ the prompt grows by the earlier stages' final messages when its stage starts.");
    expect(result.stdout).toContain(`act: codex exec --json -o /tmp/r/act/last-message.md --sandbox workspace-write --disable multi_agent --disable multi_agent_v2 -C ${join(dir, 'sub')} -`);
  });

  test.each([
    ['unknown-key', 'plan.yaml: stages[0].workers[0]: has an unknown key `lense` (expected one of `id`, `role`, `lenses`, `params`, `task`, `scope`, `context`, `cd`, `paths`, `inputs`, `into`, `from`, `model`, `reasoning-effort`, `sandbox`, `executor`, `isolation`, `env`, `attempts`, `branch`)'],
    ['later-input', 'plan.yaml: stages[0].workers[0]: inputs names `verify`, which is not an earlier stage (expected one of none: the first stage has no earlier stage)'],
    ['two-writers', 'plan.yaml: stages[0] (fix): editing workers `fix-a` and `fix-b` may change the same files (paths src and src/cli); put them in separate stages, give them disjoint `paths`, or run them in worktrees (`isolation: worktree`)'],
    ['bad-lens', 'plan.yaml: stages[0].workers[0] (reviewer): unknown lens `rsks`'],
    ['not-yaml', 'plan.yaml: not valid YAML or JSON:'],
    ['dash-model', 'plan.yaml: stages[0].workers[0] (reviewer): `model` `--dangerously-bypass-approvals-and-sandbox` is not a value codex can take (it is empty, starts with `-` or holds a line break)'],
    ['dash-env', 'plan.yaml: stages[0].workers[0] (reviewer): the Codex Cloud environment `-x` is not a value codex can take (it is empty, starts with `-` or holds a line break)'],
  ])('a bad plan is rejected before anything runs: %s', async (name, message) => {
    const result = await run(['--plan', 'plan.yaml', '--set', `codex-bin=${fakeCodex}`], { cwd: fixtureDir(`bad-plan-${name}`) });
    expect(result.code).toBe(2);
    expect(result.stderr.startsWith(`orch-prompt: run: ${message}`)).toBe(true);
    expect(result.stderr.split('\n')).toHaveLength(2);
  });

  test.each([['/'], ['../../..'], ['link'], ['sub/../..']])('a plan worker cannot leave the project folder: cd: %s', async (cd) => {
    const dir = tempDir();
    const project = join(dir, 'project');
    mkdirSync(join(project, 'sub'), { recursive: true });
    symlinkSync(dir, join(project, 'link'));
    writeFileSync(join(project, 'plan.yaml'), `stages:\n  - name: fix\n    workers:\n      - {role: implementer, params: {deliverable: x}, scope: may edit anything, cd: '${cd}'}\n`);
    const result = await run(['--plan', 'plan.yaml', ...base(dir)], { cwd: project });
    expect([result.code, result.stderr]).toEqual([
      2,
      `orch-prompt: run: plan.yaml: stages[0].workers[0] (implementer): \`cd: ${cd}\` leads outside the project folder ${project}; a worker runs in the project or below it\n`,
    ]);
    expect(existsSync(join(dir, 'run'))).toBe(false);
  });

  test('a plan worker may run in a folder of the project, also through a link that stays inside', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'sub'));
    symlinkSync(join(dir, 'sub'), join(dir, 'alias'));
    writeFileSync(join(dir, 'plan.yaml'), "stages:\n  - name: s\n    workers:\n      - {role: scout, id: a, params: {target: x}, cd: sub}\n      - {role: scout, id: b, params: {target: x}, cd: alias}\n");
    const result = await run(['--plan', 'plan.yaml', '--dry-run', '--format', 'json', ...base(dir)], { cwd: dir });
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as Array<{ cwd: string }>).map((r) => r.cwd)).toEqual([join(dir, 'sub'), join(dir, 'alias')]);
  });

  test('--each-lens starts one worker per distinct lens: repeats and aliases of one lens count once', async () => {
    const dir = tempDir();
    const result = await run(['reviewer', '--artefact', 'x', '--each-lens', 'risks,risks,failure-modes,security', '--dry-run', '--format', 'json', ...base(dir)], { cwd: dir });
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as Array<{ id: string }>).map((r) => r.id)).toEqual(['reviewer-risks', 'reviewer-security']);
  });

  test.each([
    ['explicit', "      - {role: scout, id: look, params: {target: a}}\n  - name: b\n    workers:\n      - {role: scout, id: look, params: {target: b}}\n", 'plan.yaml: stages[1].workers[0]: two workers would be called `look` (stages[0].workers[0] and stages[1].workers[0]); ids must be unique'],
    ['generated', "      - {role: scout, params: {target: a}}\n      - {role: scout, params: {target: b}}\n", 'plan.yaml: stages[0].workers[1]: two workers would be called `a-scout` (stages[0].workers[0] and stages[0].workers[1]); give them distinct `id`s'],
  ])('a worker id used twice in a plan is an error, not renamed (%s)', async (_kind, workers, message) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'plan.yaml'), `stages:\n  - name: a\n    workers:\n${workers}`);
    const result = await run(['--plan', 'plan.yaml', ...base(dir)], { cwd: dir });
    expect([result.code, result.stderr]).toEqual([2, `orch-prompt: run: ${message}\n`]);
  });

  test('a plan file is read bounded: a device or a FIFO is one line, never a hang', async () => {
    const dir = tempDir();
    const device = await run(['--plan', '/dev/zero', ...base(dir)], { cwd: dir });
    expect([device.code, device.stderr]).toEqual([2, 'orch-prompt: run: /dev/zero: cannot read the plan file: it is a device, expected a regular file\n']);
    execFileSync('mkfifo', [join(dir, 'plan.yaml')]);
    const fifo = await run(['--plan', 'plan.yaml', ...base(dir)], { cwd: dir });
    expect([fifo.code, fifo.stderr]).toEqual([2, 'orch-prompt: run: plan.yaml: cannot read the plan file: it is a FIFO (named pipe), expected a regular file\n']);
  });

  test('usage errors', async () => {
    const dir = tempDir();
    expect((await run([], { cwd: dir })).code).toBe(2);
    const noRole = await run(['--each-lens', 'risks'], { cwd: dir });
    expect(noRole.stderr).toBe('orch-prompt: run: --each-lens needs a role\n');
    const badTimeout = await run(['scout', '--target', 'x', '--timeout', 'soon'], { cwd: dir });
    expect(badTimeout.stderr).toBe('orch-prompt: run: --timeout takes a duration such as 90, 90s, 5m or 1500ms, got `soon`\n');
    const noRun = await resume([dir], { cwd: dir });
    expect([noRun.code, noRun.stderr]).toEqual([2, `orch-prompt: runs resume: no run \`${dir}\` (see \`orch-prompt runs\`)\n`]);
    writeFileSync(join(dir, 'manifest.json'), '{"version": 1');
    const broken = await resume([dir], { cwd: dir });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(new RegExp(`^orch-prompt: runs resume: ${join(dir, 'manifest.json')} is not valid JSON: .*\n$`));
    const unknown = await run(['reviwer'], { cwd: dir });
    expect(unknown.stderr).toMatch(/^orch-prompt: run: unknown role `reviwer`, expected one of .* \(did you mean `reviewer`\?\)\n$/);
  });

  test.each([
    ['--timeout', '600h', 'from 1s to 168h (or 0 for none)'],
    ['--timeout', '0.4ms', 'from 1s to 168h (or 0 for none)'],
    ['--set', 'grace=2h', 'at most 1h'],
    ['--set', 'retry-delay=61m', 'at most 1h'],
  ])('a duration out of range is refused before anything runs: %s %s', async (flag, value, range) => {
    const dir = tempDir();
    const result = await run(['scout', '--target', 'x', flag, value, ...base(dir)], { cwd: dir });
    const [name, text] = flag === '--set' ? [`--set ${value.split('=')[0] ?? ''}`, value.split('=')[1] ?? ''] : [flag, value];
    expect([result.code, result.stderr]).toEqual([2, `orch-prompt: run: ${name} must be ${range}, got \`${text}\`\n`]);
    expect(existsSync(join(dir, 'run'))).toBe(false);
  });

  test('a role parameter named like a runner flag is refused, not silently shadowed', async () => {
    const result = await run(['tuner', '--templates', fixtureDir('param-clash'), '--model', 'x'], { cwd: tempDir() });
    expect([result.code, result.stderr]).toEqual([2, 'orch-prompt: run: role `tuner` has a parameter `--model`, which is also a runner flag; rename the parameter to run it with `orch-prompt run`\n']);
  });

  test('run <role> --help shows the role flags and the runner flags', async () => {
    const result = await run(['reviewer', '--help'], { cwd: tempDir() });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: orch-prompt run reviewer [reviewer flags] [options]');
    expect(result.stdout).toMatch(/--artefact TEXT/);
    expect(result.stdout).toMatch(/--each-lens NAMES/);
  });
});

function fixtureDir(name: string): string {
  return new URL(`../fixtures/run/${name}/`, import.meta.url).pathname;
}

describe('orch-prompt runs', () => {
  test('lists runs newest first and shows one; a running manifest whose runner is gone is interrupted', async () => {
    const dir = tempDir();
    const runs = join(dir, '.orch', 'runs');
    expect((await run(['scout', '--target', 'x', '--set', `codex-bin=${fakeCodex}`, '--run-dir', join(runs, '20260101T000000Z-aaaaaa')], { cwd: dir })).code).toBe(0);
    expect((await run(['scout', '--target', 'x', '--set', `codex-bin=${fakeCodex}`, '--run-dir', join(runs, '20260102T000000Z-bbbbbb')], { cwd: dir, env: { FAKE_CODEX_MODE: 'fail' } })).code).toBe(1);
    // A runner killed with SIGKILL leaves `running`; pid 2**22 + 1 is above Linux's pid_max.
    const crashed = join(runs, '20260103T000000Z-cccccc');
    expect((await run(['scout', '--target', 'x', '--set', `codex-bin=${fakeCodex}`, '--run-dir', crashed], { cwd: dir })).code).toBe(0);
    const manifest = manifestOf(crashed);
    writeFileSync(join(crashed, 'manifest.json'), JSON.stringify({ ...manifest, status: 'running', finishedAt: null, runnerPid: 2 ** 22 + 1 }));

    const list = await runMain(['runs', '--format', 'json'], { cwd: dir });
    expect(list.code).toBe(0);
    expect((JSON.parse(list.stdout) as Array<{ id: string; status: string }>).map((r) => [r.id, r.status])).toEqual([
      ['20260103T000000Z-cccccc', 'interrupted'],
      ['20260102T000000Z-bbbbbb', 'failed'],
      ['20260101T000000Z-aaaaaa', 'succeeded'],
    ]);
    const show = await runMain(['runs', 'show', '20260102'], { cwd: dir });
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/^run 20260102T000000Z-bbbbbb: failed \(0\/1 succeeded\)\nworker +status +time +tokens +tries +error\nscout +failed +\d+\.\ds +- +unexpected status 400 Bad Request: bad prompt\n/);
    const missing = await runMain(['runs', 'show', 'nope'], { cwd: dir });
    expect([missing.code, missing.stderr]).toEqual([2, 'orch-prompt: runs show: no run `nope` (see `orch-prompt runs`)\n']);
  });
});

describe('orch-prompt runs: order and unreadable manifests', () => {
  test('newest start first whatever the folder names; an unreadable manifest is listed as such; runs show on it exits 2', async () => {
    const dir = tempDir();
    const runs = join(dir, '.orch', 'runs');
    expect((await run(['scout', '--target', 'x', '--set', `codex-bin=${fakeCodex}`, '--run-dir', join(runs, 'zzz-older')], { cwd: dir })).code).toBe(0);
    expect((await run(['scout', '--target', 'x', '--set', `codex-bin=${fakeCodex}`, '--run-dir', join(runs, 'aaa-newer')], { cwd: dir })).code).toBe(0);
    mkdirSync(join(runs, 'broken'));
    writeFileSync(join(runs, 'broken', 'manifest.json'), '{"version": 2');

    const list = await runMain(['runs', '--format', 'json'], { cwd: dir });
    expect((JSON.parse(list.stdout) as Array<{ id: string; status: string }>).map((r) => [r.id, r.status])).toEqual([
      ['aaa-newer', 'succeeded'],
      ['zzz-older', 'succeeded'],
      ['broken', 'unreadable'],
    ]);
    const text = await runMain(['runs'], { cwd: dir });
    expect(text.stdout).toMatch(new RegExp(`\\nbroken +unreadable +- +- +${join(runs, 'broken', 'manifest.json')} is not valid JSON`));

    const show = await runMain(['runs', 'show', 'broken'], { cwd: dir });
    expect(show.code).toBe(2);
    expect(show.stderr).toMatch(new RegExp(`^orch-prompt: runs show: ${join(runs, 'broken', 'manifest.json')} is not valid JSON: [^\\n]*\\n$`));
  });
});

describe('what the user sees', () => {
  test('on a TTY: a live line per worker with state, elapsed time, activity and tokens', async () => {
    const dir = tempDir();
    let screen = '';
    const tty = { isTTY: true, columns: 120, rows: 40, write: (chunk: string) => (screen += chunk) };
    const code = await main(['run', 'reviewer', '--artefact', 'x', '--each-lens', 'risks,clarity', ...base(dir)], {
      stdout: { write: () => true },
      stderr: tty,
      cwd: dir,
      env: { ...(process.env as Record<string, string>), FAKE_CODEX_DELAY_MS: '700' },
    });
    expect(code).toBe(0);
    const plain = screen.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
    expect(plain).toMatch(/[-\\|/] reviewer-risks +running +\d+s +thinking/);
    expect(plain).toMatch(/✔ reviewer-clarity +succeeded +\d+s +49 tok/);
  });

  test('model-chosen commands and Codex error text reach the terminal as visible escapes, never as control sequences', async () => {
    const dir = tempDir();
    let screen = '';
    let stdout = '';
    const tty = { isTTY: true, columns: 200, rows: 40, write: (chunk: string) => (screen += chunk) };
    const code = await main(['run', 'scout', '--target', 'x', ...base(dir)], {
      stdout: { write: (chunk: string) => (stdout += chunk) },
      stderr: tty,
      cwd: dir,
      env: { ...(process.env as Record<string, string>), FAKE_CODEX_MODE: 'escapes', FAKE_CODEX_DELAY_MS: '700' },
    });
    expect(code).toBe(1);
    const line = await run(['scout', '--target', 'x', '--set', `codex-bin=${fakeCodex}`, '--run-dir', join(dir, 'run2')], { cwd: dir, env: { FAKE_CODEX_MODE: 'escapes' } });
    for (const text of [screen, stdout, line.stdout, line.stderr]) {
      // What log-update itself draws is cursor movement (CSI ... K / A / G, hide and show the cursor), never these:
      expect(text).not.toMatch(/\x1b\]|\x07|\x1b\[2J|\x1b\[31m|\r|\u202e/);
    }
    expect(screen).toContain('running echo \\x1b]0;pwned\\x07 \\x1b[2J');
    expect(stdout).toContain('bad \\x1b[31mred\\x1b[0m\\rOVERWRITTEN \\u202etxt.exe');
    expect(line.stderr).toContain('scout: failed in');
    expect(line.stderr).toContain('bad \\x1b[31mred');
    // The manifest keeps the text as it came (JSON escapes it).
    expect(worker(manifestOf(join(dir, 'run')), 'scout').error).toBe('bad \x1b[31mred\x1b[0m\rOVERWRITTEN \u202etxt.exe');
  });

  test('without a TTY: one line per state change', async () => {
    const dir = tempDir();
    const result = await run(['scout', '--target', 'x', ...base(dir)], { cwd: dir });
    expect(result.stderr).toMatch(/^scout: running\nscout: succeeded in \d+\.\ds\n$/);
  });
});

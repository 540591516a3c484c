import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runMain } from '../support/cli.js';
import { binPath } from '../support/cli.js';
import { addFileDiff, startCloudBackend, type CloudBackend } from '../support/cloud-backend.js';
import { fileScratch } from '../support/file-scratch.js';
import { copyGitRepo } from '../support/git-template.js';
import { codexBin, makeCodexHome, startMockModel } from '../support/mock-model.js';
import { cloudOf, manifestOf, resume, run, tempDir, worker } from './helpers.js';

// Cloud workers against the real pinned `codex cloud`, talking to a loopback Codex Cloud
// stand-in (test/support/cloud-backend.ts explains how codex is pointed at it).

// The tests against the stand-in run at once (each mostly waits for its polls): what they make
// is removed when the file ends, since a concurrent test cannot rely on onTestFinished.
const scratch = fileScratch('orch-cloud-test-');

async function backend(): Promise<CloudBackend> {
  const started = await startCloudBackend();
  scratch.later(() => started.close());
  return started;
}

/** A git project on branch `main` with one commit, and the run folder inside it. */
function project(): { dir: string; runDir: string } {
  const dir = scratch.dir('project-');
  copyGitRepo(dir, { 'README.md': 'project\n', '.gitignore': '.orch/\n' });
  return { dir, runDir: join(dir, '.orch', 'runs', 'r1') };
}

const cloudArgs = (runDir: string, ...extra: string[]): string[] => ['--executor', 'cloud:env-test', '--set', 'poll=1s', '--set', `codex-bin=${codexBin}`, '--run-dir', runDir, ...extra];

describe.concurrent('run --executor cloud (real codex cloud, loopback service)', () => {
  test('success with 2 attempts: task id recorded, status polled to a confirmed end, both diffs collected', async () => {
    const cloud = await backend();
    const { dir, runDir } = project();
    const result = await run(['scout', '--target', 'the cli', ...cloudArgs(runDir, '--set', 'attempts=2', '--format', 'json')], { cwd: dir, env: cloud.env });
    expect(result.stderr).not.toContain('still running');
    expect(result.code).toBe(0);
    // One task, sent with the prompt as written to prompt.md, best of 2, on the current branch.
    expect(cloud.tasks).toHaveLength(1);
    const [task] = cloud.tasks as [CloudBackend['tasks'][number]];
    expect(task).toMatchObject({ env: 'env-test', attempts: 2, branch: 'main' });
    expect(task.prompt).toBe(readFileSync(join(runDir, 'scout', 'prompt.md'), 'utf8'));
    const w = worker(manifestOf(runDir), 'scout');
    expect(w).toMatchObject({ executor: { kind: 'cloud' }, sandbox: 'cloud', status: 'succeeded', exitCode: 0, error: null });
    expect(w.command.slice(1)).toEqual(['cloud', 'exec', '--env', 'env-test', '--attempts', '2', '--branch', 'main', '-']);
    const recorded = cloudOf(w)?.tasks[0];
    expect(recorded).toMatchObject({ id: task.id, url: `https://chatgpt.com/codex/tasks/${task.id}`, state: 'ready', statusLine: expect.stringMatching(/^\[READY\]/) });
    // Pending once, then READY read twice: one read is never trusted.
    expect(task.statusReads).toBe(3);
    expect(recorded?.polls).toBe(3);
    for (const n of [1, 2]) {
      expect(recorded?.diffs[n - 1]).toEqual({ attempt: n, file: `scout/${task.id}-attempt-${n}.diff`, error: null });
      expect(readFileSync(join(runDir, 'scout', `${task.id}-attempt-${n}.diff`), 'utf8')).toBe(addFileDiff(`cloud-attempt-${n}.txt`, `attempt ${n}`));
    }
    const message = readFileSync(join(runDir, 'scout', 'last-message.md'), 'utf8');
    expect(message).toContain(task.id);
    expect(message).toContain('+attempt 1');
    expect(message).toContain('+attempt 2');
    expect(w.attempts).toHaveLength(1);
    expect(w.durationMs).toBeGreaterThan(0);
    // codex cloud writes an error.log where it runs: the worker's folder, never the project.
    expect(existsSync(join(dir, 'error.log'))).toBe(false);
    const events = readFileSync(join(runDir, 'scout', 'events.jsonl'), 'utf8');
    expect(events).toContain('"type":"orch.cloud.sent"');
    expect(JSON.parse(result.stdout).workers[0].status).toBe('succeeded');
  }, 120_000);

  test('a stale terminal read is not trusted: ERROR once, then done, succeeds', async () => {
    const cloud = await backend();
    cloud.nextScript = () => ({ statuses: ['in_progress', 'failed', 'in_progress', 'completed'] });
    const { dir, runDir } = project();
    const result = await run(['scout', '--target', 'x', ...cloudArgs(runDir)], { cwd: dir, env: cloud.env });
    expect(result.code).toBe(0);
    expect(worker(manifestOf(runDir), 'scout').status).toBe('succeeded');
  }, 120_000);

  test('a failed task fails the worker with the task named; exit 1', async () => {
    const cloud = await backend();
    cloud.nextScript = () => ({ statuses: ['in_progress', 'failed'], title: 'Fix the parser' });
    const { dir, runDir } = project();
    const result = await run(['scout', '--target', 'x', ...cloudArgs(runDir)], { cwd: dir, env: cloud.env });
    expect(result.code).toBe(1);
    const w = worker(manifestOf(runDir), 'scout');
    const id = cloud.tasks[0]?.id as string;
    expect(w.status).toBe('failed');
    expect(w.error).toBe(`Codex Cloud task ${id} failed: [ERROR] Fix the parser (see https://chatgpt.com/codex/tasks/${id})`);
    expect(cloudOf(w)?.tasks[0]?.state).toBe('error');
    expect(result.stderr).not.toContain('still running');
  }, 120_000);

  test('a task that never finishes times out; the run says it still runs in the cloud', async () => {
    const cloud = await backend();
    cloud.nextScript = () => ({ statuses: ['in_progress'] });
    const { dir, runDir } = project();
    const result = await run(['scout', '--target', 'x', ...cloudArgs(runDir, '--timeout', '3s')], { cwd: dir, env: cloud.env });
    expect(result.code).toBe(1);
    const id = cloud.tasks[0]?.id as string;
    const w = worker(manifestOf(runDir), 'scout');
    expect(w.status).toBe('timed-out');
    expect(w.error).toContain(`waiting for Codex Cloud task ${id} (last status: [PENDING]`);
    expect(cloudOf(w)?.tasks[0]?.state).toBe('pending');
    expect(result.stderr).toContain('1 Codex Cloud task still running (not stopped by orch-prompt):');
    expect(result.stderr).toContain(`scout: ${id} https://chatgpt.com/codex/tasks/${id}`);
    expect(result.stderr).toContain('codex cloud status TASK_ID');
  }, 120_000);

  test('Ctrl-C stops polling, names the task still running; --resume waits for it without sending it again', async ({ onTestFinished }) => {
    const cloud = await backend();
    cloud.nextScript = () => ({ statuses: ['in_progress'] });
    const { dir, runDir } = project();
    const child = spawn(process.execPath, [binPath, 'run', 'scout', '--target', 'x', ...cloudArgs(runDir)], { cwd: dir, env: { ...process.env, ...cloud.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    onTestFinished(() => void child.kill('SIGKILL'));
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    // Wait until the task is recorded and polled once, then press Ctrl-C.
    while (!(existsSync(join(runDir, 'manifest.json')) && (cloud.tasks[0]?.statusReads ?? 0) >= 1 && cloudOf(manifestOf(runDir).workers[0])?.tasks.length === 1)) await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const id = cloud.tasks[0]?.id as string;
    expect(stderr).toContain(`scout: ${id}`);
    expect(stderr).toContain('codex cloud status TASK_ID');
    const stopped = worker(manifestOf(runDir), 'scout');
    expect(stopped.status).toBe('canceled');
    expect(cloudOf(stopped)?.tasks[0]?.state).toBe('pending');

    // The task finishes in the cloud; --resume picks it up.
    (cloud.tasks[0] as CloudBackend['tasks'][number]).script.statuses = ['completed'];
    const resumed = await resume([runDir], { cwd: dir, env: cloud.env });
    expect(resumed.code).toBe(0);
    expect(cloud.tasks).toHaveLength(1);
    expect(cloud.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    const w = worker(manifestOf(runDir), 'scout');
    expect(w.status).toBe('succeeded');
    expect(w.attempts.map((a) => a.outcome)).toEqual(['canceled', 'succeeded']);
    expect(cloudOf(w)?.tasks).toHaveLength(1);
    expect(cloudOf(w)?.tasks[0]?.state).toBe('ready');
  }, 120_000);

  test('a prompt over 128 KiB goes to codex cloud exec on stdin, whole', async () => {
    const cloud = await backend();
    const { dir, runDir } = project();
    const big = 'x'.repeat(200 * 1024);
    const result = await run(['scout', '--target', big, ...cloudArgs(runDir)], { cwd: dir, env: cloud.env });
    expect(result.code).toBe(0);
    expect(cloud.tasks[0]?.prompt).toContain(big);
  }, 120_000);

  test('runs apply RUN WORKER --attempt 2 applies that diff through codex cloud apply; a dirty tree is refused', async () => {
    const cloud = await backend();
    const { dir, runDir } = project();
    expect((await run(['scout', '--target', 'x', ...cloudArgs(runDir, '--set', 'attempts=2')], { cwd: dir, env: cloud.env })).code).toBe(0);
    const env = { ...(process.env as Record<string, string>), ...cloud.env };

    writeFileSync(join(dir, 'mine.txt'), 'work in progress\n');
    const refused = await runMain(['runs', 'apply', runDir, 'scout', '--attempt', '2'], { cwd: dir, env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('has uncommitted changes (mine.txt); commit or stash them first');
    expect(existsSync(join(dir, 'cloud-attempt-2.txt'))).toBe(false);

    execFileSync('rm', [join(dir, 'mine.txt')]);
    const applied = await runMain(['runs', 'apply', runDir, 'scout', '--attempt', '2'], { cwd: dir, env });
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('scout: applied attempt 2 of Codex Cloud task');
    expect(readFileSync(join(dir, 'cloud-attempt-2.txt'), 'utf8')).toBe('attempt 2\n');
    expect(existsSync(join(dir, 'cloud-attempt-1.txt'))).toBe(false);
    expect(existsSync(join(dir, 'error.log'))).toBe(false);
    expect(cloudOf(worker(manifestOf(runDir), 'scout'))?.tasks[0]).toMatchObject({ state: 'applied', appliedAttempt: 2 });
  }, 120_000);

  test('a staged plan mixes executors: local review, cloud fix with 3 attempts, local verify of its diff', async () => {
    const cloud = await backend();
    cloud.nextScript = () => ({ statuses: ['completed'], diff: (n) => addFileDiff(`fix-${n}.txt`, `fix number ${n}`) });
    const seen: string[] = [];
    const model = await startMockModel((request) => {
      seen.push(request.raw);
      return { text: seen.length === 1 ? 'FINDING: the parser drops the last line' : 'VERIFIED' };
    });
    const home = makeCodexHome(model);
    scratch.later(() => model.close());
    scratch.later(() => home.cleanup());
    writeFileSync(join(home.home, 'auth.json'), readFileSync(join(cloud.codexHome, 'auth.json')));
    const { dir, runDir } = project();
    const plan = join(dir, 'plan.yaml');
    writeFileSync(
      plan,
      [
        'stages:',
        '  - name: review',
        '    workers: [{role: reviewer, lenses: [risks], params: {artefact: src/}}]',
        '  - name: fix',
        '    workers: [{id: fix, role: implementer, executor: cloud, env: env-test, attempts: 3, params: {deliverable: a fix}, scope: may edit src/ only, inputs: [review]}]',
        '  - name: verify',
        '    workers: [{role: verifier, params: {artefact: the fix}, inputs: [fix]}]',
        '',
      ].join('\n'),
    );
    const env = { ...cloud.env, ...home.env, NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost' };
    const result = await run(['--plan', plan, '--set', 'poll=1s', '--set', `codex-bin=${codexBin}`, '--run-dir', runDir], { cwd: dir, env });
    expect(result.stderr).not.toContain('still running');
    expect(result.code).toBe(0);
    const manifest = manifestOf(runDir);
    expect(manifest.workers.map((w) => [w.id, w.executor.kind, w.status])).toEqual([
      ['review-reviewer-risks', 'local', 'succeeded'],
      ['fix', 'cloud', 'succeeded'],
      ['verify-verifier', 'local', 'succeeded'],
    ]);
    // The cloud task received the local review; the local verifier received the cloud's diffs.
    expect(cloud.tasks[0]?.prompt).toContain('FINDING: the parser drops the last line');
    expect(cloud.tasks[0]?.attempts).toBe(3);
    expect(seen.at(-1)).toContain('+fix number 3');
  }, 180_000);
});

describe('cloud workers: mistakes refused before anything is sent', () => {
  test.each([
    ['--executor cloud without an environment', ['scout', '--target', 'x', '--executor', 'cloud'], 'orch-prompt: run: --executor cloud: a cloud worker needs its Codex Cloud environment: --executor cloud:ENV_ID, or `env:` on the plan worker (see `codex cloud`)'],
    ['an argument for the local executor', ['scout', '--target', 'x', '--executor', 'local:e1'], 'orch-prompt: run: --executor local:e1: the local executor takes no argument (`--executor local`)'],
    ['an unknown executor', ['scout', '--target', 'x', '--executor', 'moon'], 'orch-prompt: run: --executor moon: no executor `moon`, expected one of `local`, `cloud`'],
    ['attempts out of range', ['scout', '--target', 'x', '--executor', 'cloud:e1', '--set', 'attempts=5'], 'orch-prompt: run: --set attempts takes a whole number from 1 to 4, got `5`'],
    ['--structured with a cloud worker', ['scout', '--target', 'x', '--executor', 'cloud:e1', '--structured'], "--structured needs codex exec's --output-schema, which codex cloud exec does not take"],
  ])('%s: exit 2, one line', async (_name, args, message) => {
    const dir = tempDir();
    const result = await run([...args, '--run-dir', join(dir, 'run'), '--set', `codex-bin=${join(dir, 'no-codex')}`], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(dir, 'run'))).toBe(false);
  });

  test('a plan: cloud keys on a local worker are refused; a cloud worker without env is refused', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'local.yaml'), 'stages:\n  - name: a\n    workers: [{role: scout, params: {target: x}, attempts: 2}]\n');
    writeFileSync(join(dir, 'cloud.yaml'), 'stages:\n  - name: a\n    workers: [{role: scout, params: {target: x}, executor: cloud}]\n');
    const local = await run(['--plan', 'local.yaml', '--dry-run'], { cwd: dir });
    expect([local.code, local.stderr]).toEqual([2, 'orch-prompt: run: local.yaml: stages[0].workers[0] (scout): `attempts` is for `executor: cloud` only; this worker runs with `executor: local`\n']);
    const cloud = await run(['--plan', 'cloud.yaml', '--dry-run'], { cwd: dir });
    expect(cloud.code).toBe(2);
    expect(cloud.stderr).toContain('a cloud worker needs its Codex Cloud environment');
    const given = await run(['--plan', 'cloud.yaml', '--executor', 'cloud:e1', '--dry-run', '--format', 'json'], { cwd: dir });
    expect(given.code).toBe(0);
    expect(given.stdout).toContain('"cloud"');
  });

  test('--dry-run shows the codex cloud exec command of a cloud worker', async () => {
    const dir = tempDir();
    const result = await run(['scout', '--target', 'x', '--executor', 'cloud:e1', '--set', 'attempts=3', '--set', 'branch=dev', '--dry-run', '--set', 'codex-bin=codex'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('scout: codex cloud exec --env e1 --attempts 3 --branch dev - < scout/prompt.md');
    expect(result.stdout).toMatch(/scout\s+main\s+scout\s+-\s+cloud/);
  });
});

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { binPath, runMain } from '../support/cli.js';
import { fakeCodex, killWhenDone, liveFrom, manifestOf, resume, run, tempDir, worker, worktreeOf, writeSealed } from './helpers.js';
import { tempRepo } from './worktree-support.js';
import type { Manifest } from '../../src/run/record/model.js';
import { runKeyFiles } from '../../src/run/record/seal.js';

// A run folder is data written by someone else until proven otherwise: it never chooses a
// program, a sandbox, a config or a folder, no link in it is followed, and one runner at a time
// owns it. Each case builds the attacker's folder itself.

const base = (dir: string): string[] => ['--set', `codex-bin=${fakeCodex}`, '--run-dir', join(dir, 'run')];

/** A failed one-worker run in `dir/run` (its worker is run again by --resume). */
async function failedRun(dir: string, env: Record<string, string> = {}): Promise<string> {
  expect((await run(['scout', '--target', 'x', ...base(dir)], { cwd: dir, env: { FAKE_CODEX_MODE: 'fail', ...env } })).code).toBe(1);
  return join(dir, 'run');
}

/** A program that leaves `marker` behind when run: what an attacker would have the runner start. */
function planted(dir: string): { program: string; marker: string } {
  const marker = join(dir, 'pwned');
  const program = join(dir, 'evil');
  writeFileSync(program, `#!/bin/sh\ntouch '${marker}'\n`);
  chmodSync(program, 0o755);
  return { program, marker };
}

/** Another user's state folder: a run key that is not ours. */
function strangerState(): Record<string, string> {
  const state = mkdtempSync(join(tmpdir(), 'orch-stranger-'));
  return { XDG_STATE_HOME: state };
}

describe('a run folder is data', () => {
  test('the run key never lands in the project: a blank HOME, or a relative HOME, XDG_STATE_HOME or TMPDIR, is not taken as the folder the run starts in', () => {
    const account = userInfo().homedir;
    const places = (env: Record<string, string>): string[] => runKeyFiles(env).map((place) => place.file);
    const fallback = join(tmpdir(), `orch-prompt-${process.getuid?.() ?? 'user'}`, 'run-key');
    // Node's homedir() gives a blank HOME back as it is ('' joined to .local/state is the current folder).
    expect(places({ HOME: '', TMPDIR: tmpdir() })[0]).toBe(join(account, '.local', 'state', 'orch-prompt', 'run-key'));
    expect(places({ HOME: 'home', TMPDIR: tmpdir() })[0]).toBe(join(account, '.local', 'state', 'orch-prompt', 'run-key'));
    expect(places({ HOME: '/h', XDG_STATE_HOME: 'state', TMPDIR: tmpdir() })[0]).toBe('/h/.local/state/orch-prompt/run-key');
    expect(places({ HOME: '/h', XDG_STATE_HOME: '/s', TMPDIR: tmpdir() })).toEqual(['/s/orch-prompt/run-key', fallback]);
    expect(places({ HOME: '/h', TMPDIR: 'tmp' })[1]).toBe(join('/tmp', `orch-prompt-${process.getuid?.() ?? 'user'}`, 'run-key'));
  });

  test.each([
    ['the program, edited in place', (m: Manifest, evil: string) => Object.assign(m.options, { codexBin: evil, yolo: true })],
    ['the program, with the seal removed', (m: Manifest, evil: string) => {
      Object.assign(m.options, { codexBin: evil });
      delete m.seal;
    }],
  ])('a crafted manifest cannot choose %s: --resume refuses it, one line, exit 2, nothing runs', async (_case, tamper) => {
    const dir = tempDir();
    const runDir = await failedRun(dir);
    const { program, marker } = planted(dir);
    const manifest = manifestOf(runDir);
    tamper(manifest, program);
    writeFileSync(join(runDir, 'manifest.json'), JSON.stringify(manifest, null, 2));
    const resumed = await resume([runDir], { cwd: dir });
    expect(resumed.code).toBe(2);
    expect(resumed.stderr).toMatch(new RegExp(`^orch-prompt: runs resume ${runDir}: ${runDir} was not written by your orch-prompt as it is \\(its manifest.*\\); a run folder is data, and cannot choose what runs or which branches are touched, so nothing was done\\n$`));
    expect(existsSync(marker)).toBe(false);
    const json = await resume([runDir, '--format', 'json'], { cwd: dir });
    expect((JSON.parse(json.stderr) as { error: { code: string } }).error.code).toBe('run-untrusted');
  });

  test("a run folder shipped in a repository (sealed with another user's key) is refused for resume, apply and clean; its results still hand over as data", async () => {
    const dir = tempDir();
    const stranger = strangerState();
    try {
      const theirs = (name: string, env: Record<string, string>) => run(['scout', '--target', 'x', '--set', `codex-bin=${fakeCodex}`, '--run-dir', join(dir, name)], { cwd: dir, env: { ...stranger, ...env } });
      expect((await theirs('failed', { FAKE_CODEX_MODE: 'fail' })).code).toBe(1);
      expect((await theirs('done', { FAKE_CODEX_TEXT: 'their findings' })).code).toBe(0);
      const failed = join(dir, 'failed');
      expect(manifestOf(failed).seal).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
      const resumed = await resume([failed], { cwd: dir });
      expect([resumed.code, resumed.stderr]).toEqual([2, expect.stringContaining("its manifest's seal does not match its content")]);
      for (const args of [['runs', 'clean', failed], ['runs', 'apply', failed, 'scout']]) {
        const refused = await runMain(args, { cwd: dir });
        expect([refused.code, refused.stderr]).toEqual([2, expect.stringContaining(`orch-prompt: runs ${args[1]}: ${failed} was not written by your orch-prompt`)]);
      }
      expect(worker(manifestOf(failed), 'scout').attempts).toHaveLength(1);
      // Handing results over reads them as text, fenced and inert: no trust needed.
      const handed = await run(['reviewer', '--artefact', 'src/', '--lens', 'risks', '--from', join(dir, 'done'), '--set', `codex-bin=${fakeCodex}`, '--run-dir', join(dir, 'next')], { cwd: dir });
      expect(handed.code).toBe(0);
      expect(readFileSync(join(dir, 'next', 'reviewer-risks', 'prompt.md'), 'utf8')).toContain('their findings');
    } finally {
      rmSync(stranger['XDG_STATE_HOME'] as string, { recursive: true, force: true });
    }
  });

  test('no link inside a run folder is followed: a final message linked elsewhere is not handed over, a linked or edited prompt is not sent again', async () => {
    const dir = tempDir();
    const secret = join(dir, 'secret.txt');
    writeFileSync(secret, 'TOP SECRET\n');
    // --from: a final message that is a link to a secret is named, not read.
    expect((await run(['scout', '--target', 'x', ...base(dir)], { cwd: dir })).code).toBe(0);
    const lastMessage = join(dir, 'run', 'scout', 'last-message.md');
    rmSync(lastMessage);
    symlinkSync(secret, lastMessage);
    const handed = await run(['reviewer', '--artefact', 'src/', '--lens', 'risks', '--from', join(dir, 'run'), '--set', `codex-bin=${fakeCodex}`, '--run-dir', join(dir, 'next')], { cwd: dir });
    expect(handed.code).toBe(0);
    const sent = readFileSync(join(dir, 'next', 'reviewer-risks', 'prompt.md'), 'utf8');
    expect(sent).not.toContain('TOP SECRET');
    expect(sent).toContain('(no final message: it is a symbolic link, which is not followed here)');

    // --resume: a prompt replaced by a link, or edited, is refused before anything runs.
    const other = tempDir();
    const runDir = await failedRun(other);
    const prompt = join(runDir, 'scout', 'prompt.md');
    const original = readFileSync(prompt, 'utf8');
    rmSync(prompt);
    symlinkSync(secret, prompt);
    const linked = await resume([runDir], { cwd: other });
    expect([linked.code, linked.stderr]).toEqual([2, `orch-prompt: runs resume: cannot read \`${prompt}\`: it is a symbolic link, which is not followed here\n`]);
    rmSync(prompt);
    writeFileSync(prompt, original.replace('x', 'exfiltrate ~/.ssh'));
    const edited = await resume([runDir], { cwd: other });
    expect([edited.code, edited.stderr]).toEqual([2, `orch-prompt: runs resume: ${prompt} is not the prompt the run recorded for \`scout\` (its hash differs), so it is not sent again; nothing was run\n`]);
    expect(worker(manifestOf(runDir), 'scout').attempts).toHaveLength(1);
  });

  test('a worker folder that is a link is never written through: the run stops before any worker, the target stays empty', async () => {
    const dir = tempDir();
    const target = join(dir, 'target');
    mkdirSync(target);
    mkdirSync(join(dir, 'run'));
    symlinkSync(target, join(dir, 'run', 'scout'));
    const result = await run(['scout', '--target', 'x', ...base(dir)], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`orch-prompt: run: cannot write ${join(dir, 'run', 'scout')}: part of the path is a file, not a folder`);
    expect(spawnSync('ls', ['-A', target], { encoding: 'utf8' }).stdout).toBe('');
    expect(worker(manifestOf(join(dir, 'run')), 'scout')).toMatchObject({ status: 'canceled', attempts: [] });
  });

  test("a worker's folder turned into a link by an earlier stage is refused just before the worker would start there", async () => {
    const dir = tempDir();
    const outside = tempDir();
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'plan.yaml'), 'stages:\n  - name: first\n    workers:\n      - {id: first, role: implementer, params: {deliverable: x}, scope: anything}\n  - name: second\n    workers:\n      - {id: second, role: implementer, params: {deliverable: y}, scope: sub only, cd: sub}\n');
    // The first worker (a model with a writable sandbox) swaps sub/ for a link to a folder outside.
    const result = await run(['--plan', join(dir, 'plan.yaml'), ...base(dir)], { cwd: dir, env: { FAKE_CODEX_LINK: JSON.stringify({ sub: outside }), FAKE_CODEX_WRITE: JSON.stringify({ 'note.txt': 'written\n' }) } });
    expect(result.code).toBe(1);
    const second = worker(manifestOf(join(dir, 'run')), 'second');
    expect(second.status).toBe('failed');
    expect(second.attempts.at(-1)?.error).toBe(`not started: its folder ${join(dir, 'sub')} now leads to ${outside}, outside ${dir} (a link made since the run was planned)`);
    expect(result.stdout + result.stderr).toContain(`second: failed`);
    expect(spawnSync('ls', ['-A', outside], { encoding: 'utf8' }).stdout).toBe('');
  });

  test('one runner at a time owns a run folder: a second --resume and runs clean are refused while the first runs; once it dies the run is interrupted and resumes', async () => {
    const dir = tempDir();
    const runDir = await failedRun(dir);
    const pids = join(dir, 'pids');
    const first = spawn(process.execPath, [binPath, 'runs', 'resume', runDir], { cwd: dir, env: { ...process.env, FAKE_CODEX_MODE: 'hang', FAKE_CODEX_PIDS: pids }, stdio: 'ignore' });
    killWhenDone(first, pids);
    const exited = new Promise((resolveExit) => first.on('exit', resolveExit));
    for (let i = 0; i < 100 && !existsSync(pids); i++) await new Promise((r) => setTimeout(r, 100));
    const second = await resume([runDir], { cwd: dir });
    expect([second.code, second.stderr]).toEqual([2, `orch-prompt: runs resume ${runDir}: that run is still running (another orch-prompt owns its folder)\n`]);
    expect(JSON.parse((await runMain(['runs', 'show', runDir, '--format', 'json'], { cwd: dir })).stdout)).toMatchObject({ status: 'running' });
    const clean = await runMain(['runs', 'clean', runDir], { cwd: dir });
    expect([clean.code, clean.stderr]).toEqual([2, expect.stringContaining('is still running (another orch-prompt owns its folder)')]);
    first.kill('SIGKILL');
    await exited;
    expect(JSON.parse((await runMain(['runs', 'show', runDir, '--format', 'json'], { cwd: dir })).stdout)).toMatchObject({ status: 'interrupted' });
    const resumed = await resume([runDir], { cwd: dir });
    expect(resumed.code).toBe(0);
    expect(liveFrom(pids)).toEqual([]);
  });

  test.skipIf(spawnSync('unshare', ['-rpf', '--kill-child', 'true']).status !== 0)('a runner in a pid namespace of its own (as inside Codex\'s sandbox) owns its folder while it lives, and not after', async () => {
    const dir = tempDir();
    const pids = join(dir, 'pids');
    const runDir = join(dir, 'run');
    const inside = spawn('unshare', ['-rpf', '--kill-child', process.execPath, binPath, 'run', 'scout', '--target', 'x', ...base(dir)], { cwd: dir, env: { ...process.env, FAKE_CODEX_MODE: 'hang', FAKE_CODEX_PIDS: pids }, stdio: 'ignore' });
    killWhenDone(inside);
    const exited = new Promise((resolveExit) => inside.on('exit', resolveExit));
    for (let i = 0; i < 100 && !existsSync(pids); i++) await new Promise((r) => setTimeout(r, 100));
    expect(JSON.parse((await runMain(['runs', 'show', runDir, '--format', 'json'], { cwd: dir })).stdout)).toMatchObject({ status: 'running' });
    expect((await resume([runDir], { cwd: dir })).code).toBe(2);
    inside.kill('SIGKILL');
    await exited;
    for (let i = 0; i < 50 && JSON.parse((await runMain(['runs', 'show', runDir, '--format', 'json'], { cwd: dir })).stdout).status === 'running'; i++) await new Promise((r) => setTimeout(r, 100));
    expect(JSON.parse((await runMain(['runs', 'show', runDir, '--format', 'json'], { cwd: dir })).stdout)).toMatchObject({ status: 'interrupted' });
  });

  test('runs clean and runs apply touch only what the run left: a copied run folder, a forged record and a branch that moved on are refused, and no branch is lost', async () => {
    const r = tempRepo();
    const runDir = join(r.repo, '.orch/runs/r1');
    const implementer = ['implementer', '--deliverable', 'a change', '--scope', 'may edit shared.txt', '--set', `codex-bin=${fakeCodex}`, '--isolation', 'worktree'];
    expect((await run([...implementer, '--run-dir', runDir], { cwd: r.repo, env: { ...r.env, FAKE_CODEX_WRITE: JSON.stringify({ 'new.txt': 'one\n' }) } })).code).toBe(0);
    expect((await run([...implementer, '--run-dir', join(r.repo, '.orch/runs/r2')], { cwd: r.repo, env: { ...r.env, FAKE_CODEX_WRITE: JSON.stringify({ 'other.txt': 'two\n' }) } })).code).toBe(0);
    const branches = (): string => r.git('branch', '--list', 'orch/*', '--format=%(refname:short)');
    expect(branches()).toBe('orch/r1/implementer\norch/r2/implementer');

    // A copy of r1 under another name would act on r1's branch.
    cpSync(runDir, join(r.repo, '.orch/runs/r3'), { recursive: true });
    const copied = await runMain(['runs', 'clean', 'r3'], { cwd: r.repo, env: r.env });
    expect([copied.code, copied.stderr]).toEqual([2, expect.stringContaining(`orch-prompt: runs clean: ${join(r.repo, '.orch/runs/r3')}`)]);
    // A record pointing r1's worker at r2's branch cannot be sealed by anyone but us.
    const forged = manifestOf(runDir);
    worktreeOf(forged.workers[0])!.branch = 'orch/r2/implementer';
    writeFileSync(join(runDir, 'manifest.json'), JSON.stringify(forged));
    const cleanForged = await runMain(['runs', 'clean', 'r1'], { cwd: r.repo, env: r.env });
    expect(cleanForged.code).toBe(2);
    expect(branches()).toBe('orch/r1/implementer\norch/r2/implementer');

    // Our own record again, but the branch has moved on since the run (someone committed on it).
    worktreeOf(forged.workers[0])!.branch = 'orch/r1/implementer';
    writeSealed(runDir, forged);
    execFileSync('git', ['commit', '--quiet', '--allow-empty', '-m', 'mine'], { cwd: join(runDir, 'implementer', 'worktree'), env: { ...process.env, ...r.env } });
    const apply = await runMain(['runs', 'apply', 'r1', 'implementer'], { cwd: r.repo, env: r.env });
    expect([apply.code, apply.stderr]).toEqual([1, expect.stringMatching(/^orch-prompt: runs apply: branch orch\/r1\/implementer points at [0-9a-f]{12}, not at [0-9a-f]{12} where worker `implementer` left it; nothing was applied/)]);
    const clean = await runMain(['runs', 'clean', 'r1'], { cwd: r.repo, env: r.env });
    expect([clean.code, clean.stderr]).toEqual([1, expect.stringMatching(/^orch-prompt: runs clean: branch orch\/r1\/implementer was kept: it points at [0-9a-f]{12}, not at [0-9a-f]{12} where the run left it/)]);
    expect(branches()).toBe('orch/r1/implementer\norch/r2/implementer');
    expect(existsSync(join(runDir, 'implementer', 'worktree'))).toBe(false);
  });

  test('a run named by id is a real folder of the runs folder: an exact id wins, a link there or a project folder of that name never stands in', async () => {
    const dir = tempDir();
    const runs = join(dir, '.orch', 'runs');
    for (const id of ['r1', 'r10']) expect((await run(['scout', '--target', id, '--set', `codex-bin=${fakeCodex}`, '--run-dir', join(runs, id)], { cwd: dir })).code).toBe(0);
    const shown = async (ref: string) => JSON.parse((await runMain(['runs', 'show', ref, '--format', 'json'], { cwd: dir })).stdout || 'null') as { id: string } | null;
    expect((await shown('r1'))?.id).toBe('r1');
    expect((await shown('r10'))?.id).toBe('r10');
    // Another run's folder linked in under a new id, and a project folder named like a run id.
    const other = tempDir();
    expect((await run(['scout', '--target', 'x', '--set', `codex-bin=${fakeCodex}`, '--run-dir', join(other, 'run')], { cwd: other })).code).toBe(0);
    symlinkSync(join(other, 'run'), join(runs, 'linked'));
    const linked = await runMain(['runs', 'show', 'linked'], { cwd: dir });
    expect([linked.code, linked.stderr]).toEqual([2, 'orch-prompt: runs show: no run `linked` (see `orch-prompt runs`)\n']);
    cpSync(join(other, 'run'), join(dir, 'r1'), { recursive: true });
    expect((await shown('r1'))?.id).toBe('r1');
    expect((await shown(join(dir, 'r1')))?.id).not.toBe('r1');
  });

  test('run folders never show in git status, and a runs folder that is a link is not written through', async () => {
    const r = tempRepo();
    expect((await run(['scout', '--target', 'x', '--set', `codex-bin=${fakeCodex}`], { cwd: r.repo, env: r.env })).code).toBe(0);
    expect(r.git('status', '--porcelain', '--untracked-files=all')).toBe('');
    expect(readFileSync(join(r.repo, '.orch', 'runs', '.gitignore'), 'utf8')).toContain('*');
    const listed = await runMain(['runs', '--format', 'json'], { cwd: r.repo });
    expect(JSON.parse(listed.stdout)).toHaveLength(1);

    // A repository that ships .orch/runs as a link to somewhere else.
    const hostile = tempRepo();
    const elsewhere = tempDir();
    mkdirSync(join(hostile.repo, '.orch'));
    symlinkSync(elsewhere, join(hostile.repo, '.orch', 'runs'));
    const refused = await run(['scout', '--target', 'x', '--set', `codex-bin=${fakeCodex}`], { cwd: hostile.repo, env: hostile.env });
    expect([refused.code, refused.stderr]).toEqual([2, `orch-prompt: run: ${join(hostile.repo, '.orch', 'runs')} is a symbolic link; run records are never written or read through one (remove it, or give a folder of your own)\n`]);
    expect(spawnSync('ls', ['-A', elsewhere], { encoding: 'utf8' }).stdout).toBe('');
    expect((await runMain(['runs'], { cwd: hostile.repo })).code).toBe(2);
  });
});

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { binPath, runMain } from '../support/cli.js';
import { fakeCodex, killRunnerMidRun, killWhenDone, liveFrom, manifestOf, maxOverlap, run, tempDir, worker, worktreeOf } from './helpers.js';
import { tempRepo } from './worktree-support.js';

// --isolation worktree against real git in a temporary repository, with the fake codex
// (the real codex is in worktree-e2e.test.ts).

const implementer = ['implementer', '--deliverable', 'a change', '--scope', 'may edit shared.txt'];
const args = (runDir: string): string[] => ['--set', `codex-bin=${fakeCodex}`, '--run-dir', runDir, '--isolation', 'worktree'];

/** The worktrees waiting in the repository's pool, as `git worktree list` names them. */
function pooled(r: { git(...args: string[]): string }): string[] {
  return [...r.git('worktree', 'list', '--porcelain').matchAll(/^worktree (.*)$/gm)].map((m) => m[1] as string).filter((path) => path.includes('/.git/orch-prompt/worktrees/slot-'));
}

describe('run --isolation worktree', () => {
  test('a worker that changed nothing leaves no worktree in the run and no branch; its checkout waits in the pool, clean and detached', async () => {
    const r = tempRepo({ 'shared.txt': 'base\n', '.gitignore': '*.log\n' });
    const runDir = join(r.repo, '.orch/runs/r1');
    // An ignored file does not count as a change, and does not stay in the pool.
    const result = await run([...implementer, ...args(runDir)], { cwd: r.repo, env: { ...r.env, FAKE_CODEX_WRITE: JSON.stringify({ 'out.log': 'x' }) } });
    expect(result.code).toBe(0);
    const w = worker(manifestOf(runDir), 'implementer');
    expect(worktreeOf(w)).toMatchObject({ state: 'removed', branch: 'orch/r1/implementer', path: join(runDir, 'implementer', 'worktree') });
    expect(w.cwd).toBe(join(runDir, 'implementer', 'worktree'));
    expect(w.command).toEqual(expect.arrayContaining(['-C', join(runDir, 'implementer', 'worktree')]));
    expect(w.command).not.toContain('--skip-git-repo-check');
    expect(existsSync(worktreeOf(w)?.path ?? '')).toBe(false);
    expect(r.git('branch', '--list', 'orch/*')).toBe('');
    const [slot, ...more] = pooled(r);
    expect(more).toEqual([]);
    expect(r.git('worktree', 'list', '--porcelain')).toContain(`worktree ${slot}\nHEAD ${r.git('rev-parse', 'HEAD')}\ndetached`);
    expect(readdirSync(slot ?? '').sort()).toEqual(['.git', '.gitignore', 'shared.txt']);
    expect(execFileSync('git', ['status', '--porcelain', '--ignored'], { cwd: slot, env: { ...process.env, ...r.env }, encoding: 'utf8' })).toBe('');
    expect(result.stdout).not.toContain('Worktrees kept');
  });

  test('a worker with changes (an untracked file counts) keeps its worktree, committed on its branch, reported with its diffstat', async () => {
    const r = tempRepo();
    const runDir = join(r.repo, '.orch/runs/r1');
    const result = await run([...implementer, ...args(runDir)], { cwd: r.repo, env: { ...r.env, FAKE_CODEX_WRITE: JSON.stringify({ 'new.txt': 'one\ntwo\n' }) } });
    expect(result.code).toBe(0);
    const w = worker(manifestOf(runDir), 'implementer');
    expect(worktreeOf(w)).toMatchObject({ state: 'kept', branch: 'orch/r1/implementer', diffstat: { files: 1, insertions: 2, deletions: 0 } });
    expect(readFileSync(join(runDir, 'implementer', 'worktree', 'new.txt'), 'utf8')).toBe('one\ntwo\n');
    expect(r.git('show', 'orch/r1/implementer:new.txt')).toBe('one\ntwo');
    expect(existsSync(join(r.repo, 'new.txt'))).toBe(false);
    expect(result.stdout).toContain('Worktrees kept');
    expect(result.stdout).toContain(`  implementer: branch orch/r1/implementer, 1 file changed, +2 -0, ${join(runDir, 'implementer', 'worktree')}`);
    const shown = await runMain(['runs', 'show', 'r1'], { cwd: r.repo });
    expect(shown.stdout).toContain('implementer: branch orch/r1/implementer, 1 file changed, +2 -0');
  });

  test('a dirty tree is refused with one line and nothing runs; --from-dirty copies the changes in, and the diffstat counts only the worker\'s', async () => {
    const r = tempRepo();
    writeFileSync(join(r.repo, 'shared.txt'), 'dirty\n');
    writeFileSync(join(r.repo, 'untracked.txt'), 'u\n');
    const runDir = join(r.repo, '.orch/runs/r1');
    const refused = await run([...implementer, ...args(runDir)], { cwd: r.repo, env: r.env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(`orch-prompt: run: --isolation worktree: ${r.repo} has uncommitted changes (shared.txt, untracked.txt); commit or stash them, or give --set from-dirty=true to copy them into each worktree\n`);
    expect(existsSync(runDir)).toBe(false);

    const env = { ...r.env, FAKE_CODEX_READ: 'shared.txt', FAKE_CODEX_WRITE: JSON.stringify({ 'worker.txt': 'w\n' }) };
    const copied = await run([...implementer, ...args(runDir), '--set', 'from-dirty=true'], { cwd: r.repo, env });
    expect(copied.code).toBe(0);
    const w = worker(manifestOf(runDir), 'implementer');
    expect(readFileSync(join(runDir, w.files.lastMessage), 'utf8')).toBe('dirty\n');
    expect(readFileSync(join(runDir, 'implementer', 'worktree', 'untracked.txt'), 'utf8')).toBe('u\n');
    expect(worktreeOf(w)).toMatchObject({ state: 'kept', snapshot: expect.stringMatching(/^[0-9a-f]{40}$/), diffstat: { files: 1, insertions: 1, deletions: 0 } });
    // The user's tree is as it was.
    expect(readFileSync(join(r.repo, 'shared.txt'), 'utf8')).toBe('dirty\n');
  });

  test('untracked files outside every isolated worker\'s paths, and the plan file the run reads, do not make the tree dirty; one under a worker\'s paths does', async () => {
    const r = tempRepo({ 'sub/a.txt': 'a\n', 'top.txt': 't\n' });
    writeFileSync(join(r.repo, 'plan.yaml'), 'stages:\n  - name: fix\n    workers:\n      - {id: fix, role: implementer, params: {deliverable: x}, scope: may edit sub/, paths: [sub]}\n');
    writeFileSync(join(r.repo, 'notes.txt'), 'mine\n');
    const ran = await run(['--plan', 'plan.yaml', ...args(join(r.repo, '.orch/runs/r1'))], { cwd: r.repo, env: r.env });
    expect(ran.code, ran.stderr).toBe(0);
    writeFileSync(join(r.repo, 'sub', 'new.txt'), 'n\n');
    const refused = await run(['--plan', 'plan.yaml', ...args(join(r.repo, '.orch/runs/r2'))], { cwd: r.repo, env: r.env });
    expect([refused.code, refused.stderr]).toEqual([2, `orch-prompt: run: --isolation worktree: ${r.repo} has uncommitted changes (sub/new.txt); commit or stash them, or give --set from-dirty=true to copy them into each worktree\n`]);
    // A worker that may change the whole project: the plan file, which the run itself reads, is still no change.
    rmSync(join(r.repo, 'sub', 'new.txt'));
    rmSync(join(r.repo, 'notes.txt'));
    rmSync(join(r.repo, 'plan.yaml'));
    writeFileSync(join(r.repo, 'whole.yaml'), 'stages:\n  - name: fix\n    workers:\n      - {id: fix, role: implementer, params: {deliverable: x}, scope: may edit anything}\n');
    const whole = await run(['--plan', 'whole.yaml', ...args(join(r.repo, '.orch/runs/r3'))], { cwd: r.repo, env: r.env });
    expect(whole.code, whole.stderr).toBe(0);
  });

  test('a worker that changes files outside its paths is reported, and runs apply refuses its branch', async () => {
    const r = tempRepo({ 'sub/a.txt': 'a\n' });
    const plan = join(r.repo, '.orch', 'plan.yaml');
    mkdirSync(join(r.repo, '.orch'), { recursive: true });
    writeFileSync(plan, 'stages:\n  - name: fix\n    workers:\n      - {id: fix, role: implementer, params: {deliverable: x}, scope: may edit sub/ only, paths: [sub]}\n');
    r.git('add', '-A');
    r.git('commit', '--quiet', '-m', 'plan');
    const runDir = join(r.repo, '.orch/runs/r1');
    const env = { ...r.env, FAKE_CODEX_WRITE: JSON.stringify({ 'sub/a.txt': 'changed\n', '.gitattributes': '* -text\n' }) };
    const result = await run(['--plan', plan, ...args(runDir)], { cwd: r.repo, env });
    expect(result.code, result.stderr).toBe(0);
    expect(worktreeOf(worker(manifestOf(runDir), 'fix'))).toMatchObject({ state: 'kept', outside: ['.gitattributes'] });
    expect(result.stdout).toContain('    changed files outside its paths, so runs apply refuses it: .gitattributes\n');
    const applied = await runMain(['runs', 'apply', 'r1', 'fix'], { cwd: r.repo, env: r.env });
    expect([applied.code, applied.stderr]).toEqual([1, expect.stringMatching(/^orch-prompt: runs apply: worker `fix` changed files outside the paths it was given \(\.gitattributes\); nothing was applied/)]);
    expect(existsSync(join(r.repo, '.gitattributes'))).toBe(false);
    expect(readFileSync(join(r.repo, 'sub', 'a.txt'), 'utf8')).toBe('a\n');
  });

  test("a repository's config makes the runner's git run no program: hooks, fsmonitor, signing, external diff", async () => {
    const r = tempRepo();
    const marker = join(r.repo, '..', 'ran.log');
    const spy = join(r.repo, '..', 'spy.sh');
    writeFileSync(spy, `#!/bin/sh\necho "$0 $*" >> '${marker}'\n`, { mode: 0o755 });
    for (const hook of ['post-checkout', 'pre-commit', 'post-commit', 'commit-msg', 'post-merge', 'reference-transaction']) writeFileSync(join(r.repo, '.git', 'hooks', hook), `#!/bin/sh\n'${spy}' ${hook}\n`, { mode: 0o755 });
    for (const [key, value] of [['core.fsmonitor', spy], ['commit.gpgSign', 'true'], ['gpg.program', spy], ['diff.external', spy]]) r.git('config', key as string, value as string);
    // Plain git runs them (the test would see them run).
    r.git('-c', 'commit.gpgSign=false', 'commit', '--quiet', '--allow-empty', '-m', 'probe');
    expect(readFileSync(marker, 'utf8')).toContain('pre-commit');
    rmSync(marker);
    const runDir = join(r.repo, '.orch/runs/r1');
    const result = await run([...implementer, ...args(runDir), '--set', 'worktree-pool=0'], { cwd: r.repo, env: { ...r.env, FAKE_CODEX_WRITE: JSON.stringify({ 'shared.txt': 'changed\n' }) } });
    expect(result.code, result.stderr).toBe(0);
    expect(worktreeOf(worker(manifestOf(runDir), 'implementer'))).toMatchObject({ state: 'kept', diffstat: { files: 1, insertions: 1, deletions: 1 } });
    const applied = await runMain(['runs', 'apply', 'r1', 'implementer'], { cwd: r.repo, env: r.env });
    expect(applied.code, applied.stderr).toBe(0);
    expect(readFileSync(join(r.repo, 'shared.txt'), 'utf8')).toBe('changed\n');
    const cleaned = await runMain(['runs', 'clean', 'r1'], { cwd: r.repo, env: r.env });
    expect(cleaned.code, cleaned.stderr).toBe(0);
    expect(existsSync(marker)).toBe(false);
  });

  test('--from-dirty without worktrees, and a read-only plan worker in a worktree, are usage errors', async () => {
    const r = tempRepo();
    const noIsolation = await run([...implementer, '--set', `codex-bin=${fakeCodex}`, '--set', 'from-dirty=true'], { cwd: r.repo, env: r.env });
    expect(noIsolation.code).toBe(2);
    expect(noIsolation.stderr).toContain('from-dirty copies uncommitted changes into worktrees; it needs --isolation worktree');
    writeFileSync(join(r.repo, '..', 'plan.yaml'), 'stages:\n  - name: s\n    workers:\n      - role: scout\n        params: {target: x}\n        isolation: worktree\n');
    const reader = await run(['--plan', join(r.repo, '..', 'plan.yaml'), '--set', `codex-bin=${fakeCodex}`], { cwd: r.repo, env: r.env });
    expect(reader.code).toBe(2);
    expect(reader.stderr).toContain('`isolation: worktree` is for editing roles, and this role does not edit');
  });

  test('outside a git repository: one line, exit 2', async () => {
    const r = tempRepo();
    const outside = join(r.repo, '..');
    const result = await run([...implementer, ...args(join(outside, 'run'))], { cwd: outside, env: { ...r.env, GIT_CEILING_DIRECTORIES: join(outside, '..') } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^orch-prompt: run: --isolation worktree: .* is not in a git repository/);
  });

  test('two writers on one path in one stage run at once in worktrees (refused without)', async () => {
    const r = tempRepo();
    const plan = join(r.repo, '..', 'plan.yaml');
    const writer = (id: string): string => `      - {id: ${id}, role: implementer, params: {deliverable: x}, scope: may edit shared.txt, paths: [shared.txt]}\n`;
    writeFileSync(plan, `stages:\n  - name: fix\n    workers:\n${writer('fix-a')}${writer('fix-b')}`);
    const refused = await run(['--plan', plan, '--set', `codex-bin=${fakeCodex}`, '--dry-run'], { cwd: r.repo, env: r.env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('or run them in worktrees');
    const runDir = join(r.repo, '.orch/runs/r1');
    const result = await run(['--plan', plan, ...args(runDir)], { cwd: r.repo, env: { ...r.env, FAKE_CODEX_DELAY_MS: '700', FAKE_CODEX_WRITE: JSON.stringify({ 'shared.txt': 'changed\n' }) } });
    expect(result.code).toBe(0);
    const manifest = manifestOf(runDir);
    expect(maxOverlap(manifest.workers)).toBe(2);
    expect(manifest.workers.map((w) => [w.id, worktreeOf(w)?.state, worktreeOf(w)?.branch])).toEqual([
      ['fix-a', 'kept', 'orch/r1/fix-a'],
      ['fix-b', 'kept', 'orch/r1/fix-b'],
    ]);
  });

  test('Ctrl-C: the worker is canceled, what it wrote is kept on its branch, and no worktree lock stays', async () => {
    const r = tempRepo();
    const pids = join(r.repo, '..', 'pids');
    const runDir = join(r.repo, '.orch/runs/r1');
    const child = spawn(process.execPath, [binPath, 'run', ...implementer, ...args(runDir)], {
      cwd: r.repo,
      env: { ...process.env, ...r.env, FAKE_CODEX_MODE: 'hang', FAKE_CODEX_PIDS: pids, FAKE_CODEX_WRITE: JSON.stringify({ 'half.txt': 'half\n' }) },
      stdio: 'ignore',
      detached: true,
    });
    killWhenDone(child, pids);
    const exited = new Promise<number | null>((resolveExit) => child.on('exit', (code) => resolveExit(code)));
    for (let i = 0; i < 150 && !existsSync(pids); i++) await new Promise((res) => setTimeout(res, 100));
    // As a terminal does: to the runner's whole process group.
    process.kill(-(child.pid as number), 'SIGINT');
    expect(await exited).toBe(130);
    const w = worker(manifestOf(runDir), 'implementer');
    expect(w.status).toBe('canceled');
    expect(worktreeOf(w)).toMatchObject({ state: 'kept', diffstat: { files: 1 } });
    expect(r.git('worktree', 'list', '--porcelain')).not.toMatch(/locked|prunable/);
    expect(existsSync(join(r.repo, '.git', 'worktrees', 'worktree', 'index.lock'))).toBe(false);
    expect(r.git('status', '--porcelain', '--untracked-files=no')).toBe('');
  });

  test('a worker that leaves git\'s index.lock behind (killed mid-command) still has what it wrote committed on its branch', async () => {
    const r = tempRepo();
    const runDir = join(r.repo, '.orch/runs/r1');
    const lock = join(r.repo, '.git', 'worktrees', 'worktree', 'index.lock');
    const result = await run([...implementer, ...args(runDir)], { cwd: r.repo, env: { ...r.env, FAKE_CODEX_WRITE: JSON.stringify({ 'new.txt': 'one\n', [lock]: '' }) } });
    expect(result.code, result.stderr).toBe(0);
    expect(worktreeOf(worker(manifestOf(runDir), 'implementer'))).toMatchObject({ state: 'kept', diffstat: { files: 1 } });
    expect(r.git('show', 'orch/r1/implementer:new.txt')).toBe('one');
    expect(existsSync(lock)).toBe(false);
  });

  test('runs clean on a run whose runner was killed ends the workers it left running before it removes their worktrees', async () => {
    const r = tempRepo();
    const pids = join(r.repo, '..', 'pids');
    const runDir = join(r.repo, '.orch/runs/r1');
    await killRunnerMidRun([...implementer, ...args(runDir)], { cwd: r.repo, env: { ...r.env, FAKE_CODEX_MODE: 'hang' }, pids });
    expect(liveFrom(pids)).toHaveLength(2);
    const cleaned = await runMain(['runs', 'clean', 'r1'], { cwd: r.repo });
    expect(cleaned.code, cleaned.stderr).toBe(0);
    expect(liveFrom(pids)).toEqual([]);
    expect(existsSync(join(runDir, 'implementer', 'worktree'))).toBe(false);
  });

  test('runs apply: an unknown worker, a dirty tree and a worker without a worktree are refused with one line, and nothing changes', async () => {
    const r = tempRepo();
    const runDir = join(r.repo, '.orch/runs/r1');
    expect((await run([...implementer, ...args(runDir)], { cwd: r.repo, env: { ...r.env, FAKE_CODEX_WRITE: JSON.stringify({ 'shared.txt': 'new\n' }) } })).code).toBe(0);
    const env = { ...process.env, ...r.env } as Record<string, string>;
    const unknown = await runMain(['runs', 'apply', 'r1', 'nobody'], { cwd: r.repo, env });
    expect(unknown).toMatchObject({ code: 2, stderr: 'orch-prompt: runs apply: run r1 has no worker `nobody`, expected one of `implementer`\n' });
    const missing = await runMain(['runs', 'apply', 'r1'], { cwd: r.repo, env });
    expect(missing.code).toBe(2);
    writeFileSync(join(r.repo, 'shared.txt'), 'mine\n');
    const dirty = await runMain(['runs', 'apply', 'r1', 'implementer'], { cwd: r.repo, env });
    expect(dirty).toMatchObject({ code: 1, stderr: `orch-prompt: runs apply: ${r.repo} has uncommitted changes (shared.txt); commit or stash them first\n` });
    expect(readFileSync(join(r.repo, 'shared.txt'), 'utf8')).toBe('mine\n');
    r.git('checkout', '--', 'shared.txt');
    const json = await runMain(['runs', 'apply', 'r1', 'implementer', '--format', 'json'], { cwd: r.repo, env });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ kind: 'worktree', worker: 'implementer', branch: 'orch/r1/implementer', into: 'main', diffstat: { files: 1, insertions: 1, deletions: 1 } });
    expect(readFileSync(join(r.repo, 'shared.txt'), 'utf8')).toBe('new\n');
    const twice = await runMain(['runs', 'apply', 'r1', 'implementer'], { cwd: r.repo, env });
    expect(twice).toMatchObject({ code: 0, stdout: 'implementer: orch/r1/implementer already in main, 1 file changed, +1 -1\n' });

    const shared = join(r.repo, '.orch/runs/r2');
    expect((await run(['scout', '--target', 'x', '--set', `codex-bin=${fakeCodex}`, '--run-dir', shared], { cwd: r.repo, env: r.env })).code).toBe(0);
    const none = await runMain(['runs', 'apply', 'r2', 'scout'], { cwd: r.repo, env });
    expect(none).toMatchObject({ code: 1, stderr: 'orch-prompt: runs apply: worker `scout` worked in the project folder itself (no worktree, no branch): its changes are already there\n' });
    const clean = await runMain(['runs', 'clean', 'r2'], { cwd: r.repo, env });
    expect(clean).toMatchObject({ code: 0, stdout: 'run r2: no worktree to remove\n' });
  });
});

describe('worktree pool', () => {
  test('the next worker takes the parked worktree over without a checkout, at the base commit even when HEAD moved', async () => {
    const r = tempRepo({ 'shared.txt': 'base\n', 'other.txt': 'untouched\n' });
    expect((await run([...implementer, ...args(join(r.repo, '.orch/runs/r1'))], { cwd: r.repo, env: r.env })).code).toBe(0);
    const [slot] = pooled(r);
    const inode = statSync(join(slot ?? '', 'other.txt')).ino;
    writeFileSync(join(r.repo, 'shared.txt'), 'moved on\n');
    r.git('commit', '--quiet', '-am', 'next');
    const runDir = join(r.repo, '.orch/runs/r2');
    const result = await run([...implementer, ...args(runDir)], { cwd: r.repo, env: { ...r.env, FAKE_CODEX_READ: 'shared.txt', FAKE_CODEX_WRITE: JSON.stringify({ 'new.txt': 'n\n' }) } });
    expect(result.code).toBe(0);
    expect(pooled(r)).toEqual([]);
    const tree = join(runDir, 'implementer', 'worktree');
    // The same files, moved: a file the new base did not change was not written again.
    expect(statSync(join(tree, 'other.txt')).ino).toBe(inode);
    expect(readFileSync(join(runDir, 'implementer', 'last-message.md'), 'utf8')).toBe('moved on\n');
    expect(worktreeOf(worker(manifestOf(runDir), 'implementer'))).toMatchObject({ state: 'kept', branch: 'orch/r2/implementer', base: r.git('rev-parse', 'HEAD'), diffstat: { files: 1 } });
    expect(r.git('worktree', 'list', '--porcelain')).toContain(`worktree ${tree}\nHEAD ${r.git('rev-parse', 'orch/r2/implementer')}\nbranch refs/heads/orch/r2/implementer`);
  });

  test('a pooled worktree is taken over only as good as new: one changed while it waited is reset; a pool folder that is a link is refused', async () => {
    const r = tempRepo({ 'shared.txt': 'base\n', '.gitignore': '*.log\n' });
    expect((await run([...implementer, ...args(join(r.repo, '.orch/runs/r1'))], { cwd: r.repo, env: r.env })).code).toBe(0);
    const [slot] = pooled(r);
    writeFileSync(join(slot ?? '', 'shared.txt'), 'tampered\n');
    writeFileSync(join(slot ?? '', 'planted.txt'), 'x\n');
    writeFileSync(join(slot ?? '', 'debug.log'), 'ignored\n');
    const runDir = join(r.repo, '.orch/runs/r2');
    const result = await run([...implementer, ...args(runDir)], { cwd: r.repo, env: { ...r.env, FAKE_CODEX_READ: 'shared.txt' } });
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(join(runDir, 'implementer', 'last-message.md'), 'utf8')).toBe('base\n');
    expect(worktreeOf(worker(manifestOf(runDir), 'implementer'))).toMatchObject({ state: 'removed' });
    const [again] = pooled(r);
    expect(readdirSync(again ?? '').sort()).toEqual(['.git', '.gitignore', 'shared.txt']);

    // The pool folder is in the repository's git folder: a link there would take worktrees from elsewhere.
    const pool = join(r.repo, '.git', 'orch-prompt', 'worktrees');
    expect((await runMain(['runs', 'clean', '--pool'], { cwd: r.repo, env: r.env })).code).toBe(0);
    rmSync(pool, { recursive: true, force: true });
    symlinkSync(tempDir(), pool);
    const refused = await run([...implementer, ...args(join(r.repo, '.orch/runs/r3'))], { cwd: r.repo, env: r.env });
    expect([refused.code, refused.stderr]).toEqual([2, `orch-prompt: run: --isolation worktree: the worktree pool ${pool} is a symbolic link; remove it (worktrees are never taken from or parked through one)\n`]);
    expect((await runMain(['runs', 'clean', '--pool'], { cwd: r.repo, env: r.env })).code).toBe(2);
  });

  test('a worker that commits by itself keeps its commits on its branch', async () => {
    const r = tempRepo();
    const runDir = join(r.repo, '.orch/runs/r1');
    const result = await run([...implementer, ...args(runDir)], { cwd: r.repo, env: { ...r.env, FAKE_CODEX_WRITE: JSON.stringify({ 'shared.txt': 'mine\n' }), FAKE_CODEX_COMMIT: 'worker commit' } });
    expect(result.code).toBe(0);
    expect(worktreeOf(worker(manifestOf(runDir), 'implementer'))).toMatchObject({ state: 'kept', diffstat: { files: 1, insertions: 1, deletions: 1 } });
    expect(r.git('log', '--format=%s', 'orch/r1/implementer')).toBe('worker commit\nbase');
    expect(pooled(r)).toEqual([]);
  });

  test('--worktree-pool caps what waits (0: nothing); runs clean --pool removes it; misuse is one line, exit 2', async () => {
    const r = tempRepo();
    const plan = join(r.repo, '..', 'plan.yaml');
    const writer = (id: string): string => `      - {id: ${id}, role: implementer, params: {deliverable: x}, scope: may edit shared.txt, paths: [shared.txt]}\n`;
    writeFileSync(plan, `stages:\n  - name: fix\n    workers:\n${writer('fix-a')}${writer('fix-b')}${writer('fix-c')}`);
    expect((await run(['--plan', plan, ...args(join(r.repo, '.orch/runs/r0')), '--set', 'worktree-pool=0'], { cwd: r.repo, env: r.env })).code).toBe(0);
    expect(r.git('worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1);
    const runDir = join(r.repo, '.orch/runs/r1');
    expect((await run(['--plan', plan, ...args(runDir), '--set', 'worktree-pool=2'], { cwd: r.repo, env: { ...r.env, FAKE_CODEX_DELAY_MS: '300' } })).code).toBe(0);
    expect(manifestOf(runDir).workers.map((w) => worktreeOf(w)?.state)).toEqual(['removed', 'removed', 'removed']);
    expect(pooled(r)).toHaveLength(2);
    expect(r.git('branch', '--list', 'orch/*')).toBe('');

    const slots = pooled(r);
    const cleaned = await runMain(['runs', 'clean', '--pool'], { cwd: r.repo, env: r.env });
    expect(cleaned).toMatchObject({ code: 0, stderr: '' });
    expect(cleaned.stdout.split('\n').filter(Boolean).sort()).toEqual(slots.map((s) => `removed pooled worktree ${s}`).sort());
    expect(r.git('worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1);
    expect(slots.some((s) => existsSync(s))).toBe(false);
    expect((await runMain(['runs', 'clean', '--pool', '--format', 'json'], { cwd: r.repo, env: r.env }).then((c) => JSON.parse(c.stdout)))).toEqual({ pool: [] });

    const outside = tempDir();
    expect(await runMain(['runs', 'clean', '--pool'], { cwd: outside, env: r.env })).toMatchObject({ code: 2, stderr: `orch-prompt: runs clean --pool: ${outside} is not in a git repository\n` });
    expect(await runMain(['runs', 'show', 'r1', '--pool'], { cwd: r.repo, env: r.env })).toMatchObject({ code: 2, stderr: 'orch-prompt: runs show: --pool is for `runs clean`\n' });
    expect(await runMain(['runs', '--pool'], { cwd: r.repo, env: r.env })).toMatchObject({ code: 2, stdout: '', stderr: 'orch-prompt: runs: --pool is for `runs clean`\n' });
  });
});

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { settingRefusal } from '../../src/mcp/index.js';
import { findGitDir } from '../../src/mcp/git-dir.js';
import { checkPlanTrust } from '../../src/mcp/plan-trust.js';
import { checkPlan, executors, runKinds, type Plan, type Setting } from '../../src/run/index.js';
import { localExecutor } from '../../src/run/local/local-executor.js';
import { fakeCodex, tempDir } from '../run/helpers.js';
import { gitEnv, tempRepo } from '../run/worktree-support.js';
import { call, connect, project } from './support.js';

// What the server refuses a model in Codex's sandbox, which may write anywhere in the served
// folder but its own .git and .codex (Codex keeps those read-only, even when they do not exist).
// Each case is something that would otherwise run outside the sandbox. Workers are the fake codex.

// Git looks no higher than the temporary root, as the suite runs also below a repository (ORCH_TEST_GIT_ABOVE).
const fake = { CODEX_BIN: fakeCodex, GIT_CEILING_DIRECTORIES: tmpdir() };
const scout = { role: 'scout', params: { target: 'x' } };

/** Calls start_run and expects it refused with `code`, nothing started. */
async function refused(dir: string, args: Record<string, unknown>, code: string, message: RegExp, env: Record<string, string> = fake): Promise<void> {
  const { client } = await connect(dir, env);
  const { error } = await call(client, 'start_run', args);
  expect(error?.code).toBe(code);
  expect(error?.message).toMatch(message);
  expect((await call(client, 'list_runs', {})).result['total']).toBe(0);
}

describe('worker folders', () => {
  it('refuses `cd`: a subfolder the model wrote may hold a .codex/config.toml that the worker\'s codex would load', async () => {
    const dir = project(tempDir());
    const marker = join(dir, 'ran-outside');
    mkdirSync(join(dir, 'sub', '.codex'), { recursive: true });
    writeFileSync(join(dir, 'sub', '.codex', 'config.toml'), `[mcp_servers.evil]\ncommand = "touch"\nargs = ["${marker}"]\n`);
    for (const cd of ['sub', '.']) await refused(dir, { workers: [{ ...scout, cd }] }, 'mcp-refused', /workers\[0\]\.cd cannot be given to this server: its workers run in the folder it serves/);
  });
});

describe('settings and worker keys: an allow-list', () => {
  const kinds = runKinds(executors);

  it('takes the settings that only bound or narrow a run, and refuses the others with a reason', () => {
    const refused = kinds.settings.filter((s) => settingRefusal(s) !== null).map((s) => s.name);
    expect(refused.sort()).toEqual(['attempts', 'branch', 'codex-bin', 'config', 'poll', 'profile', 'yolo']);
    for (const name of refused) expect(settingRefusal(kinds.settings.find((s) => s.name === name) as Setting)).toMatch(/program|sandbox|cloud/);
  });

  it('refuses a setting or a worker key nobody has allowed yet, such as one a new executor adds', () => {
    const added: Setting = { name: 'folder', key: 'folder', owner: 'local', type: { kind: 'text' }, resume: false, description: 'A new one.' };
    const withNew = { root: '/project', env: {}, gitDir: null, kinds: { ...kinds, settings: [...kinds.settings, added], executors: [...executors, { ...localExecutor, kind: 'other', planKeys: { folder: { type: 'string' } } }] } };
    const plan = (data: Record<string, unknown>): Plan => checkPlan({ stages: [{ name: 'main', workers: [{ ...scout, ...data }] }], ...('settings' in data ? { settings: data['settings'] } : {}) }, 'p', withNew.kinds.executors);
    expect(() => checkPlanTrust({ ...plan({}), settings: { folder: 'x' } }, withNew, 'start_run')).toThrow(/settings\.folder cannot be given to this server: it is not on the list/);
    expect(() => checkPlanTrust(plan({ executor: 'other', folder: 'x' }), withNew, 'start_run')).toThrow(/workers\[0\]\.folder cannot be given to this server: .*not on the list/);
    expect(() => checkPlanTrust(plan({}), withNew, 'start_run')).not.toThrow();
  });

  it.each([
    ['the run\'s executor', { workers: [scout], settings: { executor: 'cloud:env-1' } }, /settings\.executor: this server does not run `cloud` workers: a Codex Cloud task runs in the user's cloud environment/],
    ['a worker\'s executor', { workers: [{ ...scout, executor: 'cloud', env: 'env-1' }] }, /workers\[0\]\.env cannot be given to this server: this server does not run `cloud` workers/],
    ['a cloud setting', { workers: [scout], settings: { attempts: 2 } }, /settings\.attempts cannot be given to this server: it is for `cloud` workers/],
  ])('refuses Codex Cloud: %s', async (_what, args, message) => {
    await refused(project(tempDir()), args, 'mcp-refused', message);
  });
});

describe('worktree isolation: only in the repository the folder was in when the server started', () => {
  const implementer = { role: 'implementer', params: { deliverable: 'a line' }, scope: 'README.md' };

  it('refuses it when the folder was in no repository then: a repository made since could run its config (core.fsmonitor) while planning', async () => {
    const dir = project(tempDir());
    const { client } = await connect(dir, fake);
    const outside = tempDir();
    const env = { ...process.env, ...gitEnv(outside) };
    const marker = join(outside, 'ran-outside');
    const git = (...args: string[]): string => execFileSync('git', args, { cwd: dir, env, encoding: 'utf8' });
    git('init', '--quiet');
    git('add', 'README.md');
    git('commit', '--quiet', '-m', 'base');
    git('config', 'core.fsmonitor', `touch ${marker}; false`);
    for (const args of [{ workers: [{ ...implementer, isolation: 'worktree' }] }, { workers: [implementer], settings: { isolation: 'worktree' } }]) {
      const { error } = await call(client, 'start_run', args);
      expect(error?.code).toBe('mcp-refused');
      expect(error?.message).toMatch(/worktree isolation cannot be used here: .* was in no git repository when this server started/);
    }
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses it when the folder\'s repository is another one than then', async () => {
    const { repo, env } = tempRepo({ 'ws/README.md': '# Demo\n' });
    const ws = join(repo, 'ws');
    const { client, context } = await connect(ws, { ...fake, ...env });
    expect(context.gitDir).toBe(realpathSync(join(repo, '.git')));
    execFileSync('git', ['init', '--quiet'], { cwd: ws, env: { ...process.env, ...env } });
    const { error } = await call(client, 'start_run', { workers: [{ ...implementer, isolation: 'worktree' }] });
    expect(error?.code).toBe('mcp-refused');
    expect(error?.message).toContain(`is not the one it was in when this server started (${realpathSync(join(repo, '.git'))} then, ${realpathSync(join(ws, '.git'))} now)`);
  });

  it('takes it in the repository the folder was in then', async () => {
    const { repo, env } = tempRepo({ 'README.md': '# Demo\n' });
    const { client } = await connect(repo, { ...fake, ...env });
    const { result, error } = await call(client, 'start_run', { workers: [{ ...implementer, isolation: 'worktree' }], wait_seconds: 30 });
    expect(error).toBeUndefined();
    expect(result['status']).toBe('succeeded');
  });
});

describe('findGitDir: the git folder git would use, found without running git', () => {
  it('agrees with `git rev-parse --absolute-git-dir` in a repository, below its top, in a linked worktree, under an empty .git folder, and outside any', () => {
    const { repo, env, git } = tempRepo({ 'sub/a.txt': 'a\n' });
    git('worktree', 'add', '--quiet', join(repo, '..', 'linked'));
    mkdirSync(join(repo, 'sub', 'fake', '.git'), { recursive: true });
    const outside = tempDir();
    const gitDirOf = (cwd: string): string | null => {
      try {
        return realpathSync(execFileSync('git', ['rev-parse', '--absolute-git-dir'], { cwd, env: { ...process.env, ...env, GIT_CEILING_DIRECTORIES: tmpdir() }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
      } catch {
        return null;
      }
    };
    const ceiling = { GIT_CEILING_DIRECTORIES: tmpdir() };
    for (const folder of [repo, join(repo, 'sub'), join(repo, 'sub', 'fake'), join(repo, '..', 'linked'), outside]) expect(findGitDir(folder, ceiling), folder).toBe(gitDirOf(folder));
    expect(findGitDir(join(repo, '..', 'linked'), ceiling)).toMatch(/\.git\/worktrees\/linked$/);
    expect(findGitDir(outside, ceiling)).toBeNull();
    expect(findGitDir(outside, { ...ceiling, GIT_DIR: join(repo, '.git') })).toBe(realpathSync(join(repo, '.git')));
  });
});

describe('price tables', () => {
  it('refuses a list for a setting that takes one value: each item was read in turn, the last winning over what was checked', async () => {
    const dir = project(tempDir());
    writeFileSync(join(dir, 'prices.json'), '{"models": {}}');
    await refused(dir, { workers: [scout], settings: { prices: ['prices.json', '/etc/passwd'] } }, 'plan-invalid', /^start_run: settings\.prices takes one value, got a list$/);
    await refused(dir, { workers: [scout], settings: { timeout: ['1m', '2m'] } }, 'plan-invalid', /settings\.timeout takes one value/);
  });

  it('reads only a table inside the folder, the one given or .orch/prices.json, links followed', async () => {
    const dir = project(tempDir());
    const outside = join(tempDir(), 'secret.json');
    writeFileSync(outside, '{"models": {}}');
    symlinkSync(outside, join(dir, 'prices.json'));
    await refused(dir, { workers: [scout], settings: { prices: 'prices.json' } }, 'mcp-refused', /settings\.prices: `prices\.json` is outside/);
    mkdirSync(join(dir, '.orch'));
    symlinkSync(outside, join(dir, '.orch', 'prices.json'));
    await refused(dir, { workers: [scout] }, 'mcp-refused', /\.orch\/prices\.json: `\.orch\/prices\.json` is outside/);
  });

  it('says a table is not JSON without quoting it: the file could be anything the server can read', async () => {
    const dir = project(tempDir());
    writeFileSync(join(dir, 'prices.json'), 'token=sk-do-not-show\n');
    await refused(dir, { workers: [scout], settings: { prices: 'prices.json' } }, 'prices-invalid', /is not valid JSON/);
    const { client } = await connect(dir, fake);
    expect(JSON.stringify(await call(client, 'start_run', { workers: [scout], settings: { prices: 'prices.json' } }))).not.toContain('sk-do');
  });
});

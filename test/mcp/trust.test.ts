import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { settingRefusal } from '../../src/mcp/index.js';
import { checkPlanTrust } from '../../src/mcp/plan-trust.js';
import { checkPlan, executors, runKinds, type Plan, type Setting } from '../../src/run/index.js';
import { localExecutor } from '../../src/run/local/local-executor.js';
import { fakeCodex, tempDir } from '../run/helpers.js';
import { call, connect, project } from './support.js';

// What the server refuses a model in Codex's sandbox, which may write anywhere in the served
// folder but its own .git and .codex (Codex keeps those read-only, even when they do not exist).
// Each case is something that would otherwise run outside the sandbox. Workers are the fake codex.

const fake = { CODEX_BIN: fakeCodex };
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
    const withNew = { root: '/project', kinds: { ...kinds, settings: [...kinds.settings, added], executors: [...executors, { ...localExecutor, kind: 'other', planKeys: { folder: { type: 'string' } } }] } };
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

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, runMain } from '../support/cli.js';

// Paths come from the user's disk and environment: a folder name holding an escape sequence must
// reach the terminal as visible text, never as a command to it (set the title, move the cursor).

const scratch = mkdtempSync(join(tmpdir(), 'orch-skill-terminal-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const evil = 'x\u001b]0;owned\u0007\u202egnp.\r';
const shown = 'x\\x1b]0;owned\\x07\\u202egnp.\\r';
const raw = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function expectSafe(result: { stdout: string; stderr: string }): void {
  expect(result.stdout).not.toMatch(raw);
  expect(result.stderr).not.toMatch(raw);
  expect(`${result.stdout}${result.stderr}`).toContain(shown);
}

describe('paths printed by install, uninstall, build, pack and doctor', { timeout: 120_000 }, () => {
  const home = join(scratch, evil, 'home');
  const project = join(scratch, 'project');
  mkdirSync(home, { recursive: true });
  mkdirSync(project, { recursive: true });
  const env = { HOME: home, CODEX_HOME: join(home, '.codex') };

  it('install, a refusal, uninstall and doctor show control characters as escapes', async () => {
    expectSafe(await runMain(['install', '--dry-run'], { env, cwd: project }));
    expectSafe(await runMain(['install'], { env, cwd: project }));
    writeFileSync(join(env.CODEX_HOME, 'skills', 'codex-orchestration', `notes${evil}.md`), 'mine\n');
    const refused = await runMain(['install'], { env, cwd: project });
    expect(refused.code).toBe(1);
    expectSafe(refused);
    expectSafe(await runMain(['doctor'], { env, cwd: project }));
    expectSafe(await runMain(['uninstall', '--force'], { env, cwd: project }));
  });

  it('build --out and pack --out, as real processes', () => {
    expectSafe(runCli(['build', '--out', join(scratch, evil, 'out')], { cwd: project }));
    expectSafe(runCli(['pack', '--out', join(scratch, evil, 'skill.zip')], { cwd: project }));
  });
});

import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runMain } from '../support/cli.js';
import { codexBin } from '../support/mock-model.js';

const scratch = mkdtempSync(join(tmpdir(), 'orch-skill-doctor-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// The real codex alone on PATH: the folder it is installed in also holds clawhub, which doctor
// starts twice (its version, its login) and which takes a second of CPU each time. Only the first
// test, which checks the whole report, has it; the others leave it out (doctor then says it is
// not there, which is no problem), and clawhub-e2e.test.ts covers that check.
const codexOnly = join(scratch, 'codex-only');
mkdirSync(codexOnly);
symlinkSync(codexBin, join(codexOnly, 'codex'));

let n = 0;
function box(options: { codex?: 'real' | 'none' | 'broken'; clawhub?: boolean } = {}) {
  const base = join(scratch, String(++n));
  const home = join(base, 'home');
  const project = join(base, 'project');
  const bin = join(base, 'bin');
  for (const dir of [home, project, bin]) mkdirSync(dir, { recursive: true });
  mkdirSync(join(project, '.git'));
  if (options.codex === 'broken') {
    writeFileSync(join(bin, 'codex'), '#!/bin/sh\nexit 3\n');
    chmodSync(join(bin, 'codex'), 0o755);
  }
  // node stays reachable (the codex launcher is a node script) without putting its whole folder,
  // which may hold a global codex, on PATH.
  symlinkSync(process.execPath, join(bin, 'node'));
  const real = options.clawhub ? dirname(codexBin) : codexOnly;
  const path = options.codex === 'real' || options.codex === undefined ? `${real}:${bin}` : bin;
  return { home, project, codexHome: join(base, 'codex-home'), env: { HOME: home, CODEX_HOME: join(base, 'codex-home'), PATH: path } };
}

describe('orch-prompt doctor', { timeout: 120_000 }, () => {
  it('exit 0 when codex is found, the skill is installed and current, and nothing else has its name', async () => {
    const b = box({ clawhub: true });
    expect((await runMain(['install'], { env: b.env, cwd: b.project })).code).toBe(0);
    const result = await runMain(['doctor'], { env: b.env, cwd: b.project });
    expect(result.stdout).toBe(
      [
        `ok       node ${process.versions.node}`,
        `ok       codex 0.169.0 (${codexBin})`,
        `ok       CODEX_HOME ${b.codexHome} (from CODEX_HOME)`,
        `ok       installed and current in ${join(b.codexHome, 'skills', 'codex-orchestration')}`,
        'ok       no other skill named codex-orchestration',
        `ok       Codex loads 6 custom agents here: orch-implementer, orch-researcher, orch-reviewer, orch-scout, orch-synthesizer, orch-verifier (in ${join(b.codexHome, 'agents')})`,
        `ok       the custom agents of orch-prompt are installed and current in ${join(b.codexHome, 'agents')}`,
        'ok       the MCP server is not registered (optional): `orch-prompt install --mcp` lets a Codex session whose shell has no network run workers through its tools',
        `ok       clawhub 0.23.3 (${join(dirname(codexBin), 'clawhub')}), not logged in (run \`clawhub login\` before \`orch-prompt publish\`)`,
        'no problems found',
        '',
      ].join('\n'),
    );
    expect(result.code).toBe(0);
  });

  it('exit 1 with a fix for each problem: no codex, skill not installed', async () => {
    const b = box({ codex: 'none' });
    const result = await runMain(['doctor'], { env: b.env, cwd: b.project });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('problem  codex is not on PATH\n         fix: npm install -g @openai/codex (or add its folder to PATH, or set CODEX_BIN)\n');
    expect(result.stdout).toContain('problem  codex-orchestration is not installed where Codex reads skills\n         fix: orch-prompt install\n');
    expect(result.stdout).toMatch(/2 problems found\n$/);
  });

  it('a codex that fails --version is a problem', async () => {
    const b = box({ codex: 'broken' });
    const result = await runMain(['doctor', '--format', 'json'], { env: b.env, cwd: b.project });
    const data = JSON.parse(result.stdout) as { ok: boolean; checks: Array<{ id: string; ok: boolean; fix?: string }> };
    expect(data.ok).toBe(false);
    expect(data.checks.find((c) => c.id === 'codex')).toMatchObject({ ok: false, fix: 'reinstall Codex: npm install -g @openai/codex' });
  });

  it('an edited install, and a second skill of the same name, are problems with fixes', async () => {
    const b = box();
    expect((await runMain(['install'], { env: b.env, cwd: b.project })).code).toBe(0);
    writeFileSync(join(b.codexHome, 'skills', 'codex-orchestration', 'SKILL.md'), '---\nname: codex-orchestration\ndescription: edited\n---\n');
    const other = join(b.project, '.agents', 'skills', 'my-copy');
    mkdirSync(other, { recursive: true });
    writeFileSync(join(other, 'SKILL.md'), '---\nname: codex-orchestration\ndescription: a copy\n---\n');
    const result = await runMain(['doctor'], { env: b.env, cwd: b.project });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`problem  ${join(b.codexHome, 'skills', 'codex-orchestration')} was edited since it was installed (SKILL.md)\n         fix: orch-prompt install --force (keeps a backup of your edits)\n`);
    expect(result.stdout).toContain(`problem  2 skills named codex-orchestration make $codex-orchestration ambiguous: ${join(b.codexHome, 'skills', 'codex-orchestration')}, ${other}\n`);
  });

  it('checks the codex that run would start: $CODEX_BIN before PATH, and a CODEX_BIN that is not there is a problem', async () => {
    const b = box({ codex: 'broken' });
    const chosen = await runMain(['doctor', '--format', 'json'], { env: { ...b.env, CODEX_BIN: codexBin }, cwd: b.project });
    const codex = (JSON.parse(chosen.stdout) as { checks: Array<{ id: string; ok: boolean; message: string }> }).checks.find((c) => c.id === 'codex');
    expect(codex).toEqual({ id: 'codex', ok: true, message: `codex 0.169.0 (${codexBin}, from CODEX_BIN)` });
    const missing = await runMain(['doctor'], { env: { ...b.env, CODEX_BIN: 'bin/no-such-codex' }, cwd: b.project });
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain(
      'problem  CODEX_BIN is bin/no-such-codex, which is not an executable file; orch-prompt run would fail to start workers\n         fix: set CODEX_BIN to the codex executable, or unset it to use codex from PATH\n',
    );
  });

  it('a CODEX_HOME that is a file is a problem, not "ok"', async () => {
    const b = box();
    writeFileSync(b.codexHome, 'not a folder\n');
    const result = await runMain(['doctor'], { env: b.env, cwd: b.project });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `problem  CODEX_HOME ${b.codexHome} (from CODEX_HOME) is not a folder; Codex keeps its config, sessions and skills in it\n         fix: point CODEX_HOME at a folder, or unset it to use ~/.codex\n`,
    );
  });
});

describe('orch-prompt doctor: custom agents', { timeout: 120_000 }, () => {
  const good = (name: string): string => `name = "${name}"\ndescription = "Reviews code for defects. Use when a review is asked for. Not for edits."\ndeveloper_instructions = "CONTEXT: WORKER\\nReview."\n`;

  it('lists the agents Codex would load, a project\'s replacing a user\'s, and each file it would skip with why', async () => {
    const b = box();
    mkdirSync(join(b.codexHome, 'agents'), { recursive: true });
    writeFileSync(join(b.codexHome, 'agents', 'mine.toml'), good('mine'));
    writeFileSync(join(b.codexHome, 'agents', 'shared.toml'), good('shared'));
    writeFileSync(join(b.codexHome, 'agents', 'broken.toml'), `${good('broken')}modle = "x"\n`);
    mkdirSync(join(b.project, '.codex', 'agents'), { recursive: true });
    writeFileSync(join(b.project, '.codex', 'agents', 'shared.toml'), good('shared'));
    writeFileSync(join(b.codexHome, 'config.toml'), `[projects.${JSON.stringify(b.project)}]\ntrust_level = "trusted"\n`);
    const result = await runMain(['doctor'], { env: b.env, cwd: b.project });
    expect(result.stdout).toContain(`ok       Codex loads 2 custom agents here: mine (in ${join(b.codexHome, 'agents')}); shared (in ${join(b.project, '.codex', 'agents')})`);
    expect(result.stdout).toContain(`problem  Codex skips ${join(b.codexHome, 'agents', 'broken.toml')}: unknown field \`modle\`: Codex 0.169 skips the whole agent`);
    expect(result.stdout).toContain(`fix: orch-prompt lint ${join(b.codexHome, 'agents', 'broken.toml')}`);
    const json = JSON.parse((await runMain(['doctor', '--format', 'json'], { env: b.env, cwd: b.project })).stdout) as { checks: Array<{ id: string; ok: boolean }> };
    expect(json.checks.filter((c) => c.id === 'agents').map((c) => c.ok)).toEqual([true, false]);
  });

  it('says when a project\'s agents are ignored because Codex does not trust the project', async () => {
    const b = box();
    mkdirSync(join(b.project, '.codex', 'agents'), { recursive: true });
    writeFileSync(join(b.project, '.codex', 'agents', 'local.toml'), good('local'));
    const result = await runMain(['doctor'], { env: b.env, cwd: b.project });
    expect(result.stdout).toContain('ok       Codex loads no custom agents here');
    expect(result.stdout).toContain(`problem  1 custom agent file in ${join(b.project, '.codex', 'agents')} is not loaded: Codex reads a project's .codex/ only when it trusts the project, and ${b.project} is not trusted`);
  });

  it('an install without its agents, or with an edited or outdated one, is a problem with a fix', async () => {
    const b = box();
    expect((await runMain(['install', '--no-agents'], { env: b.env, cwd: b.project })).code).toBe(0);
    const without = await runMain(['doctor'], { env: b.env, cwd: b.project });
    expect(without.stdout).toContain(`problem  the skill is installed in ${join(b.codexHome, 'skills')} without its custom agents (orch-reviewer, ...): spawn_agent cannot start them by name\n         fix: orch-prompt install\n`);
    expect((await runMain(['install'], { env: b.env, cwd: b.project })).code).toBe(0);
    writeFileSync(join(b.codexHome, 'agents', 'orch-scout.toml'), good('orch-scout'));
    const edited = await runMain(['doctor'], { env: b.env, cwd: b.project });
    expect(edited.stdout).toContain(`problem  ${join(b.codexHome, 'agents', 'orch-scout.toml')} exists and was edited since it was installed`);
    expect(edited.stdout).toContain('fix: orch-prompt install --force (keeps a backup of your edits)');
  });
});

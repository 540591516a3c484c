import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { lintSkillDir } from '../../src/lint/skill/skill-lint.js';
import { hasErrors } from '../../src/skill/validate.js';
import { runCli } from '../support/cli.js';
import { codexBin, makeCodexHome, noShellSnapshot, startMockModel, type MockModelServer } from '../support/mock-model.js';

// End to end with the real consumer: the pinned `codex` binary, offline against a loopback model.

const root = join(import.meta.dirname, '..', '..');
const fixtures = join(import.meta.dirname, '..', 'fixtures', 'skill');
const skillMd = readFileSync(join(root, 'SKILL.md'), 'utf8');
// Parsed, not matched: a description holding `: ` (as in `CONTEXT: WORKER`) is a quoted scalar.
const description = (parseYaml(skillMd.slice(4, skillMd.indexOf('\n---\n', 3))) as { description: string }).description;
const body = skillMd.slice(skillMd.indexOf('\n---\n', 3) + 5).trim();

let server: MockModelServer;
const scratch = mkdtempSync(join(tmpdir(), 'orch-skill-e2e-'));
beforeAll(async () => {
  server = await startMockModel(() => ({ text: 'done' }));
});
afterAll(async () => {
  await server.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** A fresh HOME and CODEX_HOME, so no skill of the machine's user leaks in. */
function sandbox(name: string) {
  const home = join(scratch, name, 'home');
  const work = join(scratch, name, 'work');
  mkdirSync(home, { recursive: true });
  mkdirSync(work, { recursive: true });
  const codex = makeCodexHome(server);
  const env = { ...codex.env, HOME: home };
  return { home, work, codexHome: codex.home, env, cleanup: codex.cleanup };
}

/**
 * Run real `codex exec` with the prompt on stdin; return every request body the model saw.
 * Asynchronous: the mock model answers from this same process.
 */
async function codexExec(prompt: string, env: Record<string, string>, cwd: string): Promise<string> {
  const first = server.requests.length;
  const child = spawn(codexBin, ['exec', '--skip-git-repo-check', ...noShellSnapshot, '-'], { cwd, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.resume();
  child.stdin.end(prompt);
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  clearTimeout(timer);
  expect(status, stderr).toBe(0);
  const requests = server.requests.slice(first);
  expect(requests.length).toBeGreaterThan(0);
  // The raw bodies are JSON; decode once so that assertions read plain text.
  return requests.map((r) => JSON.stringify(r.body)).join('\n');
}

/** A string as it appears inside a JSON string. */
function inJson(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

// Each test starts real codex processes: give them room on a loaded machine.
describe('real codex discovers the installed skill', { timeout: 120_000 }, () => {
  it('orch-prompt install (target codex) into CODEX_HOME: Codex lists `codex-orchestration: <description>`', async () => {
    const box = sandbox('codex-target');
    const install = runCli(['install'], { env: box.env });
    expect(install.code, install.stderr).toBe(0);
    expect(install.stdout).toContain(join(box.codexHome, 'skills', 'codex-orchestration'));
    const seen = await codexExec('Say hello.', box.env, box.work);
    expect(seen.includes(inJson(`- codex-orchestration: ${description} (file: `))).toBe(true);
    box.cleanup();
  });

  it('orch-prompt install --target agents into ~/.agents/skills: Codex lists it too', async () => {
    const box = sandbox('agents-target');
    const install = runCli(['install', '--target', 'agents'], { env: box.env });
    expect(install.code, install.stderr).toBe(0);
    expect(install.stdout).toContain(join(box.home, '.agents', 'skills', 'codex-orchestration'));
    const seen = await codexExec('Say hello.', box.env, box.work);
    expect(seen.includes(inJson(`- codex-orchestration: ${description} (file: `))).toBe(true);
    box.cleanup();
  });

  it('a prompt naming $codex-orchestration makes Codex send the whole SKILL.md body', async () => {
    const box = sandbox('mention');
    expect(runCli(['install'], { env: box.env }).code).toBe(0);
    const without = await codexExec('Say hello.', box.env, box.work);
    expect(without.includes(inJson('## Fan out readers, keep one writer'))).toBe(false);
    const seen = await codexExec('Use $codex-orchestration to review README.md.', box.env, box.work);
    expect(seen.includes(inJson(body))).toBe(true);
    box.cleanup();
  });

  it('skills that Codex refuses to list are rejected by orch-prompt lint too', async () => {
    const box = sandbox('broken');
    const skills = join(box.codexHome, 'skills');
    // Each case is a way Codex 0.169's loader drops a skill (checked by hand against its log).
    const broken: Array<[string, string]> = [
      ['long-name', 'a'.repeat(65)],
      ['no-description', 'no-description'],
      ['no-frontmatter', 'no-frontmatter'],
      ['unclosed', 'unclosed'],
      ['lowercase', 'lowercase'],
    ];
    for (const [fixture, name] of broken) {
      const dir = join(fixtures, fixture, name);
      expect(hasErrors(lintSkillDir(dir)), name).toBe(true);
      cpSync(dir, join(skills, name), { recursive: true });
    }
    cpSync(join(fixtures, 'valid', 'demo-skill'), join(skills, 'demo-skill'), { recursive: true });
    expect(hasErrors(lintSkillDir(join(skills, 'demo-skill')))).toBe(false);
    const seen = await codexExec('Say hello.', box.env, box.work);
    // The valid one is listed, so the check below is not vacuous.
    expect(seen.includes(inJson('- demo-skill: A small skill used to test the validator.'))).toBe(true);
    for (const [, name] of broken) expect(seen.includes(inJson(`- ${name}: `)), name).toBe(false);
    box.cleanup();
  });
});

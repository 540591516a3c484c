import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { expectSameBytes, skillRuntimeFiles } from '../support/files.js';
import { codexBin, makeCodexHome, noShellSnapshot, startMockModel } from '../support/mock-model.js';

const root = join(import.meta.dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'orch-skill-pack-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function pack(name: string, env: Record<string, string> = {}): { zip: Uint8Array; stdout: string } {
  const out = join(scratch, `${name}.zip`);
  const result = runCli(['pack', '--out', out], { env });
  expect(result.code, result.stderr).toBe(0);
  return { zip: readFileSync(out), stdout: result.stdout };
}

describe('orch-prompt pack', { timeout: 120_000 }, () => {
  it('writes a zip with the top folder kept and every file of the built skill', () => {
    const { zip, stdout } = pack('a');
    const runtime = skillRuntimeFiles();
    expect(stdout).toMatch(new RegExp(`^packed codex-orchestration 0\\.1\\.0 into .*a\\.zip \\(${8 + runtime.length} files, \\d+ KiB\\) for ClawHub's web publish form, slug codex-orchestration\\n$`));
    const entries = unzipSync(zip);
    expect(Object.keys(entries).sort()).toEqual([
      'codex-orchestration/SKILL.md',
      'codex-orchestration/agents/openai.yaml',
      'codex-orchestration/references/context-pack.md',
      'codex-orchestration/references/lenses.md',
      'codex-orchestration/references/patterns.md',
      'codex-orchestration/references/roles.md',
      'codex-orchestration/references/running-workers.md',
      'codex-orchestration/scripts/orch-prompt.mjs',
      ...runtime.map((file) => `codex-orchestration/${file}`),
    ]);
    expectSameBytes(entries['codex-orchestration/scripts/orch-prompt.mjs'] as Uint8Array, readFileSync(join(root, 'dist/orch-prompt.mjs')));
  });

  it('holds exactly the built files, byte for byte: the zip ClawHub\'s web form unwraps is what publish uploads', () => {
    const entries = unzipSync(pack('b').zip);
    const built = join(scratch, 'built');
    expect(runCli(['build', '--out', built]).code).toBe(0);
    for (const [path, data] of Object.entries(entries)) {
      expect(Buffer.from(data).equals(readFileSync(join(built, path))), path).toBe(true);
    }
    expect(Buffer.from(entries['codex-orchestration/SKILL.md'] as Uint8Array).equals(readFileSync(join(root, 'SKILL.md')))).toBe(true);
  });

  it('is deterministic, also across time zones', () => {
    const a = pack('c', { TZ: 'UTC' }).zip;
    const b = pack('d', { TZ: 'Pacific/Kiritimati' }).zip;
    expect(Buffer.from(b).equals(Buffer.from(a))).toBe(true);
  });

  it('the unpacked bundle still loads in real Codex', async () => {
    const entries = unzipSync(pack('e').zip);
    const server = await startMockModel(() => ({ text: 'ok' }));
    const codex = makeCodexHome(server);
    const home = join(scratch, 'home');
    mkdirSync(home, { recursive: true });
    for (const [path, data] of Object.entries(entries)) {
      mkdirSync(join(codex.home, 'skills', path, '..'), { recursive: true });
      writeFileSync(join(codex.home, 'skills', path), data);
    }
    const child = spawn(codexBin, ['exec', '--skip-git-repo-check', ...noShellSnapshot, '-'], { cwd: home, env: { ...process.env, ...codex.env, HOME: home }, stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.end('Say hello.');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    await server.close();
    codex.cleanup();
    expect(code, stderr).toBe(0);
    expect(stderr).not.toContain('failed to load skill');
    expect(server.requests.some((r) => r.raw.includes('- codex-orchestration: Orchestrate parallel Codex workers.'))).toBe(true);
  });
});

import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { binPath, runCli } from '../support/cli.js';
import { readFifo } from '../support/fifo.js';

// `-o FILE` and `pack --out FILE` as a user runs them: one rule for whatever is at the path.

const scratch = mkdtempSync(join(tmpdir(), 'orch-output-file-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const isRoot = process.getuid?.() === 0;
const prompt = ['reviewer', '--artefact', 'a', '--lens', 'risks'];

let n = 0;
function box(): string {
  const dir = join(scratch, String(++n));
  mkdirSync(dir);
  return dir;
}

/** Run the CLI without waiting (a FIFO needs its reader running at the same time). */
function startCli(args: string[], cwd: string): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [binPath, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}


describe('-o FILE', { timeout: 60_000 }, () => {
  it('keeps a mode-600 file 600', () => {
    const dir = box();
    writeFileSync(join(dir, 'prompt.md'), 'old\n');
    chmodSync(join(dir, 'prompt.md'), 0o600);
    const result = runCli([...prompt, '-o', 'prompt.md'], { cwd: dir });
    expect([result.code, result.stdout, result.stderr]).toEqual([0, '', '']);
    expect(readFileSync(join(dir, 'prompt.md'), 'utf8').startsWith('CONTEXT: WORKER\n')).toBe(true);
    expect(statSync(join(dir, 'prompt.md')).mode & 0o777).toBe(0o600);
  });

  it('writes through a symbolic link: the link stays, its target gets the prompt', () => {
    const dir = box();
    mkdirSync(join(dir, 'dotfiles'));
    writeFileSync(join(dir, 'dotfiles', 'prompt.md'), 'old\n');
    symlinkSync('dotfiles/prompt.md', join(dir, 'prompt.md'));
    const result = runCli([...prompt, '-o', 'prompt.md'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(lstatSync(join(dir, 'prompt.md')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'prompt.md'))).toBe('dotfiles/prompt.md');
    expect(readFileSync(join(dir, 'dotfiles', 'prompt.md'), 'utf8').startsWith('CONTEXT: WORKER\n')).toBe(true);
  });

  it('writes into a FIFO for the process reading it; the FIFO stays', async () => {
    const dir = box();
    expect(spawnSync('mkfifo', [join(dir, 'pipe')]).status).toBe(0);
    const read = readFifo(join(dir, 'pipe'));
    const result = await startCli([...prompt, '-o', 'pipe'], dir);
    expect(result).toEqual({ code: 0, stderr: '' });
    expect((await read).startsWith('CONTEXT: WORKER\n')).toBe(true);
    expect(lstatSync(join(dir, 'pipe')).isFIFO()).toBe(true);
  });

  it('a FIFO nobody reads is waited on like a redirection, and Ctrl-C or SIGTERM ends the wait: exit 130, one line', async () => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const dir = box();
      expect(spawnSync('mkfifo', [join(dir, 'pipe')]).status).toBe(0);
      const child = spawn(process.execPath, [binPath, ...prompt, '-o', 'pipe'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      await new Promise((r) => setTimeout(r, 700));
      child.kill(signal);
      expect(await closed).toBe(130);
      expect(stderr).toBe(`orch-prompt: cannot write \`${join(dir, 'pipe')}\`: interrupted while waiting for a reader\n`);
    }
  });

  it('a folder that is not there is refused, as a redirection refuses it; nothing is created', () => {
    const dir = box();
    const result = runCli([...prompt, '-o', 'missing/prompt.md'], { cwd: dir });
    expect([result.code, result.stdout, result.stderr]).toEqual([1, '', `orch-prompt: cannot write \`${join(dir, 'missing', 'prompt.md')}\`: no such file or folder\n`]);
    expect(readdirSync(dir)).toEqual([]);
  });

  let devicesSafe = !isRoot;
  it.runIf(isRoot)('writes into a device node and leaves it a device', () => {
    const dir = box();
    // /dev/null's twin, made where a regression cannot replace the machine's /dev/null.
    expect(spawnSync('mknod', [join(dir, 'null'), 'c', '1', '3']).status).toBe(0);
    const result = runCli([...prompt, '-o', 'null'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(lstatSync(join(dir, 'null')).isCharacterDevice()).toBe(true);
    expect(readdirSync(dir)).toEqual(['null']);
    devicesSafe = true;
  });

  it('-o /dev/null discards the prompt and leaves /dev/null alone', (context) => {
    // As root, a regression would replace the real /dev/null: only run once the twin above passed.
    if (!devicesSafe) context.skip();
    const result = runCli([...prompt, '-o', '/dev/null']);
    expect([result.code, result.stdout, result.stderr]).toEqual([0, '', '']);
    expect(lstatSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('a folder is one line, exit 1', () => {
    const dir = box();
    const result = runCli([...prompt, '-o', '.'], { cwd: dir });
    expect([result.code, result.stderr]).toEqual([1, `orch-prompt: cannot write \`${dir}\`: it is a folder, expected a file\n`]);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('pack --out FILE', { timeout: 120_000 }, () => {
  it('follows the same rule: a linked zip is written at the link target, mode kept', () => {
    const dir = box();
    mkdirSync(join(dir, 'releases'));
    writeFileSync(join(dir, 'releases', 'skill.zip'), 'old');
    chmodSync(join(dir, 'releases', 'skill.zip'), 0o640);
    symlinkSync('releases/skill.zip', join(dir, 'skill.zip'));
    const result = runCli(['pack', '--out', 'skill.zip'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(lstatSync(join(dir, 'skill.zip')).isSymbolicLink()).toBe(true);
    expect(Object.keys(unzipSync(readFileSync(join(dir, 'releases', 'skill.zip'))))).toContain('codex-orchestration/SKILL.md');
    expect(statSync(join(dir, 'releases', 'skill.zip')).mode & 0o777).toBe(0o640);
  });
});

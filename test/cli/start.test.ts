import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { codeCacheMarker } from '../../src/cli/start.js';
import { runCli, skillScriptPath, type CliResult } from '../support/cli.js';
import { packageRoot } from '../support/files.js';

// How orch-prompt starts (src/cli/start.ts): a prompt from the one-script CLI with V8's code
// cache made by the build, anything else (and a cache that does not fit) from the code-split
// CLI. Each case runs a copy of the built entry and runtime folder, changed as it says.

const scratch = mkdtempSync(join(tmpdir(), 'orch-start-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let copies = 0;
/** A copy of `dist/orch-prompt.mjs` and `dist/orch-prompt/`; returns its entry. */
function copyRuntime(change: (dir: string) => void = () => {}): string {
  const dir = join(scratch, `copy-${++copies}`);
  cpSync(join(packageRoot, 'dist', 'orch-prompt'), join(dir, 'orch-prompt'), { recursive: true });
  cpSync(skillScriptPath, join(dir, 'orch-prompt.mjs'));
  change(join(dir, 'orch-prompt'));
  return join(dir, 'orch-prompt.mjs');
}

/** Rewrite the code-cache comment at the end of `prompt.cjs`. */
function editCache(dir: string, edit: (fields: string[]) => string[]): void {
  const file = join(dir, 'prompt.cjs');
  const text = readFileSync(file, 'latin1');
  const at = text.lastIndexOf(codeCacheMarker);
  expect(at).toBeGreaterThan(0);
  const fields = text.slice(at + codeCacheMarker.length).trim().split(' ');
  writeFileSync(file, `${text.slice(0, at)}${codeCacheMarker}${edit(fields).join(' ')}\n`, 'latin1');
}

const cwd = mkdtempSync(join(scratch, 'cwd-'));
const prompt = ['reviewer', '--artefact', 'src/', '--lens', 'risks', '--goal', 'ship it'];
const run = (args: string[], script: string): CliResult => runCli(args, { cwd, script });

describe('how orch-prompt starts', { timeout: 60_000 }, () => {
  const expected = run(prompt, skillScriptPath);

  it('prints a prompt', () => {
    expect(expected.code, expected.stderr).toBe(0);
    expect(expected.stdout.startsWith('CONTEXT: WORKER\n')).toBe(true);
    expect(expected.stdout).toContain('LENS: risks');
  });

  it('prints a prompt, help and the version without the code-split CLI, and runs commands only with it', () => {
    // The cache is marked as this Node's, whichever built it (V8 compiles when it does not fit).
    const entry = copyRuntime((dir) => {
      editCache(dir, ([, , data]) => [process.version, process.arch, data ?? '']);
      rmSync(join(dir, 'cli'), { recursive: true });
    });
    expect(run(prompt, entry)).toEqual(expected);
    expect(run(['--version'], entry)).toEqual(run(['--version'], skillScriptPath));
    expect(run(['reviewer', '--help'], entry)).toEqual(run(['reviewer', '--help'], skillScriptPath));
    const list = run(['list'], entry);
    expect(list.code).toBe(1);
    expect(list.stderr).toMatch(/^orch-prompt: .*orch-prompt\/ is incomplete \(.*\): install the skill again\n$/);
  });

  it('prints the same prompt with the code-split CLI when the prompt script is missing', () => {
    expect(run(prompt, copyRuntime((dir) => rmSync(join(dir, 'prompt.cjs'))))).toEqual(expected);
  });

  it('prints the same prompt when the cache was made by another Node, or for another machine', () => {
    expect(run(prompt, copyRuntime((dir) => editCache(dir, ([, arch, data]) => ['v19.0.0', arch ?? '', data ?? ''])))).toEqual(expected);
    expect(run(prompt, copyRuntime((dir) => editCache(dir, ([node, , data]) => [node ?? '', 'riscv64', data ?? ''])))).toEqual(expected);
  });

  it('prints the same prompt with the code-split CLI when the prompt script does not compile', () => {
    const damaged = copyRuntime((dir) => editCache(dir, (fields) => fields));
    const file = join(damaged, '..', 'orch-prompt', 'prompt.cjs');
    writeFileSync(file, `(function (require, __orchUrl) {${readFileSync(file, 'latin1').slice(100)}`, 'latin1');
    expect(run(prompt, damaged)).toEqual(expected);
  });

  it('prints the same prompt when the cache is not one V8 made (V8 refuses it and compiles the script)', () => {
    const noise = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString('base64');
    expect(run(prompt, copyRuntime((dir) => editCache(dir, ([node, arch]) => [node ?? '', arch ?? '', noise])))).toEqual(expected);
    expect(run(prompt, copyRuntime((dir) => editCache(dir, ([node, arch]) => [node ?? '', arch ?? '', ''])))).toEqual(expected);
  });

  // Node 22.1 and later: the code-split CLI keeps its modules compiled (Node's compile cache, in
  // the temporary folder when NODE_COMPILE_CACHE does not say where), and starts the same from
  // them. (Node 20 has no such cache.)
  it.skipIf(typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache !== 'function')('keeps the code-split CLI compiled in Node\'s compile cache, and starts the same from it', () => {
    const tmp = mkdtempSync(join(scratch, 'tmp-'));
    const env = { NODE_COMPILE_CACHE: undefined, TMPDIR: tmp };
    const listed = runCli(['list'], { cwd, script: skillScriptPath, env });
    expect(listed.code, listed.stderr).toBe(0);
    expect(readdirSync(join(tmp, 'node-compile-cache'), { recursive: true }).length).toBeGreaterThan(0);
    expect(runCli(['list'], { cwd, script: skillScriptPath, env }).stdout).toBe(listed.stdout);
  });
});

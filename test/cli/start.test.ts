import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { codeCacheMarker, fullPromptScript, mayReadTemplateFiles, promptScript } from '../../src/cli/start.js';
import { parseFlags, stringFlag } from '../../src/cli/flags.js';
import type { CliIo } from '../../src/cli/io.js';
import { promptFlagTable } from '../../src/cli/prompt-flags.js';
import { scanTemplatesFlag, templateDirs } from '../../src/cli/templates-source.js';
import { builtinTemplates } from '../../src/templates/builtin-set.js';
import { runCli, skillScriptPath, type CliResult } from '../support/cli.js';
import { packageRoot } from '../support/files.js';

// How orch-prompt starts (src/cli/start.ts): a prompt from the one-script CLI with V8's code
// cache made by the build (the one with template readers when a call may read a template file),
// anything else (and a cache that does not fit) from the code-split CLI. Each case runs a copy of the built entry and runtime folder, changed as it says.

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

/** Rewrite the code-cache comment at the end of a prompt script (`prompt.cjs` unless named). */
function editCache(dir: string, edit: (fields: string[]) => string[], script = promptScript): void {
  const file = join(dir, script);
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

  it('has its code caches made under the runtime folder\'s own file names (V8 names them in stack traces), not the build\'s path', () => {
    for (const script of [promptScript, fullPromptScript]) {
      const text = readFileSync(join(packageRoot, 'dist', 'orch-prompt', script), 'latin1');
      const cache = Buffer.from(text.slice(text.indexOf(codeCacheMarker) + codeCacheMarker.length).trim().split(' ')[2] ?? '', 'base64').toString('latin1');
      expect(cache, script).toContain(`orch-prompt/${script}`);
      expect(cache, script).not.toContain(packageRoot);
    }
  });

  it('prints prompts that read template files (a --templates folder, .orch/templates, --context-pack) with prompt-full.cjs, as the code-split CLI prints them', () => {
    const project = mkdtempSync(join(scratch, 'project-'));
    const role = (name: string, task: string): string =>
      `---\nkind: role\nname: ${name}\ndescription: A role of this project.\nscope: read-only\nedits: false\nlenses:\n  mode: none\nparameters:\n  - name: artefact\n    required: true\n    description: What to look at.\n---\n\n## Task\n\n${task} {{artefact}}.\n\n## Do\n\n- Read it.\n\n## Output\n\n- A list.\n\n## Don't\n\n- Edit it.\n`;
    mkdirSync(join(project, '.orch', 'templates'), { recursive: true });
    writeFileSync(join(project, '.orch', 'templates', 'auditor.md'), role('auditor', 'Audit'));
    mkdirSync(join(project, 'more'));
    writeFileSync(join(project, 'more', 'checker.md'), role('checker', 'Check'));
    writeFileSync(join(project, 'pack.md'), '## Goal\n\nShip the release.\n');
    // Both prompt scripts' caches marked as this Node's, and no code-split CLI: each call below
    // runs one of the prompt scripts, or fails.
    const scripts = copyRuntime((dir) => {
      for (const script of [promptScript, fullPromptScript]) editCache(dir, ([, , data]) => [process.version, process.arch, data ?? ''], script);
      rmSync(join(dir, 'cli'), { recursive: true });
    });
    const codeSplit = copyRuntime((dir) => {
      for (const script of [promptScript, fullPromptScript]) rmSync(join(dir, script));
    });
    const calls = [
      ['auditor', '--artefact', 'src/'],
      ['checker', '--artefact', 'src/', '--templates', 'more'],
      ['checker', '--artefact', 'src/', '--templates=more', '--no-project-templates'],
      ['reviewer', ...prompt.slice(1), '--context-pack', 'pack.md'],
      ['reviewer', ...prompt.slice(1), '--no-project-templates', '--context-pack=pack.md'],
      ['--help', '--templates', 'more'],
      ['auditor', '--help'],
    ];
    for (const args of calls) {
      const expectedHere = runCli(args, { cwd: project, script: codeSplit });
      expect(expectedHere.code, `${args.join(' ')}: ${expectedHere.stderr}`).toBe(0);
      expect(runCli(args, { cwd: project, script: scripts }), args.join(' ')).toEqual(expectedHere);
    }
    expect(runCli(['--help'], { cwd: project, script: scripts }).stdout).toMatch(/^ {2}auditor +A role of this project\.$/m);
  });

  it('runs the prompt script without template readers only for calls that read no template file', () => {
    const project = mkdtempSync(join(scratch, 'project-'));
    mkdirSync(join(project, '.orch', 'templates'), { recursive: true });
    // Without prompt-full.cjs and the code-split CLI, only prompt.cjs is left to run a call.
    const lean = copyRuntime((dir) => {
      editCache(dir, ([, , data]) => [process.version, process.arch, data ?? '']);
      rmSync(join(dir, fullPromptScript));
      rmSync(join(dir, 'cli'), { recursive: true });
    });
    expect(run(prompt, lean)).toEqual(expected);
    expect(runCli([...prompt, '--no-project-templates'], { cwd: project, script: lean })).toEqual(expected);
    expect(runCli(['--version'], { cwd: project, script: lean })).toEqual(run(['--version'], skillScriptPath));
    const incomplete = /^orch-prompt: .*orch-prompt\/ is incomplete \(.*\): install the skill again\n$/;
    for (const [args, where] of [
      [prompt, project],
      [[...prompt, '--templates', project], cwd],
      [[...prompt, '--context-pack', join(project, 'pack.md')], cwd],
      [[...prompt, '--', '--no-project-templates'], project],
    ] as const) {
      const result = runCli(args, { cwd: where, script: lean });
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr, args.join(' ')).toMatch(incomplete);
    }
  });

  it('chooses the full prompt script for every call in which the CLI reads a template folder or a context-pack file', () => {
    const withProject = mkdtempSync(join(scratch, 'project-'));
    mkdirSync(join(withProject, '.orch', 'templates'), { recursive: true });
    const templates = builtinTemplates();
    const reviewer = templates.roles['reviewer'];
    if (!reviewer) throw new Error('no built-in reviewer');
    const flags = promptFlagTable(reviewer, templates);
    const argvs: string[][] = [
      [],
      ['--artefact', 'src/'],
      ['--templates', 'x'],
      ['--templates=x'],
      ['--templates'],
      ['--templates='],
      ['--context-pack', 'f'],
      ['--context-pack=f'],
      ['--context-pack=--templates'],
      ['--no-project-templates'],
      ['--no-project-templates', '--templates', 'x'],
      ['--', '--no-project-templates'],
      ['--artefact', 'src/', '--', '--templates', 'x'],
      ['--artefact=--templates=x'],
      ['--artefact=--context-pack'],
      ['--task', '--no-project-templates'],
      ['--task=--no-project-templates'],
      ['--goal', 'a', '--no-project-templates', '--context-pack', 'f'],
    ];
    for (const folder of [cwd, withProject]) {
      const io = { cwd: folder } as CliIo;
      for (const argv of argvs) {
        let folders: number;
        try {
          folders = templateDirs(scanTemplatesFlag(argv), io).length;
        } catch {
          folders = 1; // a --templates folder that does not exist: the full script says so
        }
        let pack = false;
        try {
          pack = stringFlag(parseFlags(argv, flags, { command: 'reviewer' }).flags, 'context-pack') !== undefined;
        } catch {
          // not a valid command line: no file is read
        }
        const reads = folders > 0 || pack;
        if (reads) expect(mayReadTemplateFiles(argv, folder), `${folder === cwd ? '' : '.orch/templates, '}${argv.join(' ')}`).toBe(true);
      }
    }
    // And the lean script where nothing is read.
    expect(mayReadTemplateFiles(['--artefact', 'src/'], cwd)).toBe(false);
    expect(mayReadTemplateFiles(['--no-project-templates'], withProject)).toBe(false);
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

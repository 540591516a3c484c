import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, onTestFinished, test } from 'vitest';
import { renderTaskMessage } from '../../src/prompt/agent.js';
import { renderPrompt } from '../../src/prompt/render.js';
import { builtinTemplates } from '../../src/templates/builtin-set.js';
import { binPath, runCli, runMain, skillScriptPath } from '../support/cli.js';

const fixtures = join(import.meta.dirname, '../fixtures/cli');
const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string };

describe('the CLI as a real process', () => {
  test('prints a reviewer prompt, the quick start of the README', () => {
    const result = runCli(['reviewer', '--lens', 'risks', '--artefact', 'src/']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout.split('\n')[0]).toBe('CONTEXT: WORKER');
    expect(result.stdout).toContain('TASK: Review src/ through the lens');
    expect(result.stdout).toContain('LENS: risks (Risks and failure modes)');
  });

  test('the bundled CLI prints exactly what the library renders, for every role and lens', () => {
    // The bundle carries precompiled templates; this proves they render byte for byte alike.
    const templates = builtinTemplates();
    const args: Record<string, string[]> = {
      reviewer: ['--artefact', 'a.md'], researcher: ['--topic', 't'], implementer: ['--deliverable', 'd', '--scope', 'may edit a.md'],
      verifier: ['--artefact', 'a.md'], scout: ['--target', 't'], synthesizer: ['--results', 'r1\nr2'],
    };
    for (const role of Object.keys(templates.roles)) {
      const lenses = templates.roles[role]?.lenses.mode === 'none' ? [undefined] : Object.keys(templates.lenses);
      for (const lens of lenses) {
        const flags = [...(args[role] ?? []), ...(lens ? ['--lens', lens] : []), '--goal', 'g', '--constraints', 'c1\nc2'];
        const cli = runCli([role, ...flags]);
        const params = Object.fromEntries([[flags[0]?.slice(2), flags[1]]]) as Record<string, string>;
        const options = { params, lenses: lens ? [lens] : [], context: { goal: 'g', constraints: 'c1\nc2' }, ...(role === 'implementer' ? { scope: 'may edit a.md' } : {}) };
        expect(cli.stdout, `${role} ${lens ?? ''}`).toBe(renderPrompt(role, options).prompt);
      }
    }
  }, 120_000);

  test('--task-only prints the spawn_agent message, from the package CLI and from the skill\'s script alike', () => {
    const args = ['verifier', '--artefact', 'the flag', '--lens', 'risks', '--goal', 'g', '--task-only'];
    const expected = renderTaskMessage('verifier', { params: { artefact: 'the flag' }, lenses: ['risks'], context: { goal: 'g' } });
    for (const script of [undefined, skillScriptPath]) {
      const text = runCli(args, script ? { script } : {});
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toBe(expected.message);
      expect(text.stdout).not.toContain('CONTEXT: WORKER');
      const json = runCli([...args, '--format', 'json'], script ? { script } : {});
      const parsed = JSON.parse(json.stdout) as Record<string, unknown>;
      expect(parsed).toMatchObject({ role: 'verifier', agent: 'orch-verifier', lenses: ['risks'], message: expected.message });
      expect(parsed).not.toHaveProperty('prompt');
    }
    // A bad request is refused as the whole prompt would be.
    const refused = runCli(['reviewer', '--artefact', 'x', '--task-only']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('needs 1 to 2 lenses');
  });

  test('--help output is the stored one', () => {
    for (const [name, args] of [['orch-prompt', ['--help']], ['reviewer', ['reviewer', '--help']], ['list', ['list', '--help']]] as const) {
      const result = runCli(args);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(readFileSync(join(fixtures, 'help', `${name}.txt`), 'utf8'));
    }
  });

  test('--version prints the package version', () => {
    expect(runCli(['--version']).stdout).toBe(`${pkg.version}\n`);
  });

  test('--format json gives the machine view', () => {
    const result = runCli(['reviewer', '--artefact', 'src/', '--lens', 'risks,security', '--format', 'json']);
    expect(result.code).toBe(0);
    const view = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(Object.keys(view)).toEqual(['role', 'lenses', 'scope', 'edits', 'size', 'warnings', 'outputSchema', 'prompt', 'overrides']);
    expect(view['overrides']).toEqual([]);
    expect(view).toMatchObject({ role: 'reviewer', lenses: ['risks', 'security'], scope: 'read-only', edits: false, warnings: [] });
    expect((view['prompt'] as string).startsWith('CONTEXT: WORKER\n')).toBe(true);
    expect((view['size'] as { tokens: number }).tokens).toBeGreaterThan(500);
  });

  test('budget warnings go to stderr and do not change the exit code', () => {
    const big = 'x'.repeat(60_000);
    const result = runCli(['reviewer', '--artefact', 'a', '--lens', 'risks', '--pointers', big]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^orch-prompt: warning: prompt is about \d+ tokens, over the budget/);
  });

  test('-o writes the prompt to a file and nothing to stdout', () => {
    const dir = mkdtempSync(join(tmpdir(), 'orch-out-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(join(dir, 'sub'));
    const result = runCli(['reviewer', '--artefact', 'a', '--lens', 'risks', '-o', 'sub/prompt.md'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(readFileSync(join(dir, 'sub/prompt.md'), 'utf8').startsWith('CONTEXT: WORKER\n')).toBe(true);
    expect(readdirSync(join(dir, 'sub'))).toEqual(['prompt.md']);
  });

  test('an -o that cannot be written fails with one line and leaves nothing behind', () => {
    const dir = mkdtempSync(join(tmpdir(), 'orch-out-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'file'), 'x');
    const result = runCli(['reviewer', '--artefact', 'a', '--lens', 'risks', '-o', 'file/prompt.md'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('orch-prompt: cannot write `file/prompt.md`: part of the path is a file, not a folder\n'.replace('file/prompt.md', join(dir, 'file/prompt.md')));
    expect(readdirSync(dir)).toEqual(['file']);
    const folder = runCli(['reviewer', '--artefact', 'a', '--lens', 'risks', '-o', '.'], { cwd: dir });
    expect([folder.code, folder.stderr]).toEqual([1, `orch-prompt: cannot write \`${dir}\`: it is a folder, expected a file\n`]);
    expect(readdirSync(dir)).toEqual(['file']);
  });

  // Most install and uninstall tests call main in-process; this is their process smoke test.
  test('install and uninstall, as processes, in a Codex home of their own', () => {
    const dir = mkdtempSync(join(tmpdir(), 'orch-install-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const env = { HOME: join(dir, 'home'), CODEX_HOME: join(dir, 'codex-home') };
    const skill = join(env.CODEX_HOME, 'skills', 'codex-orchestration');
    const installed = runCli(['install'], { cwd: dir, env });
    expect(installed.code, installed.stderr).toBe(0);
    expect(installed.stdout).toContain(`codex-orchestration 0.1.0 into ${skill}`);
    expect(readFileSync(join(skill, 'SKILL.md'), 'utf8')).toBe(readFileSync(join(import.meta.dirname, '../../SKILL.md'), 'utf8'));
    const removed = runCli(['uninstall'], { cwd: dir, env });
    expect(removed.code, removed.stderr).toBe(0);
    expect(existsSync(skill)).toBe(false);
  });

  test('in a folder removed while the shell sat in it: one line for what needs the folder, the rest works', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'orch-gone-'));
    onTestFinished(() => rmSync(scratch, { recursive: true, force: true }));
    let made = 0;
    const inRemovedFolder = (args: string[]): { code: number | null; stdout: string; stderr: string } => {
      const dir = join(scratch, `gone-${++made}`);
      mkdirSync(dir);
      const result = spawnSync('sh', ['-c', 'cd "$1" && rmdir "$1" && shift && exec "$@"', 'sh', dir, process.execPath, binPath, ...args], { encoding: 'utf8' });
      return { code: result.status, stdout: result.stdout, stderr: result.stderr };
    };
    const gone = 'the current folder cannot be read (ENOENT: it was removed, or may not be entered): change to an existing folder and run again';
    expect(inRemovedFolder(['reviewer', '--lens', 'risks', '--artefact', 'src/'])).toEqual({ code: 1, stdout: '', stderr: `orch-prompt: ${gone}\n` });
    expect(inRemovedFolder(['reviewer', '--lens', 'risks', '--artefact', 'src/', '--format', 'json'])).toEqual({
      code: 1,
      stdout: '',
      stderr: `${JSON.stringify({ error: { path: '.', code: 'file-unreadable', message: gone } })}\n`,
    });
    expect(inRemovedFolder(['list'])).toEqual({ code: 1, stdout: '', stderr: `orch-prompt: list: ${gone}\n` });
    expect(inRemovedFolder(['--version'])).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
    // The skill's own check reads and writes Markdown (unified) without asking for the folder.
    const check = inRemovedFolder(['build', '--check']);
    expect([check.code, check.stderr]).toEqual([0, '']);
  });

  test('output that cannot be written: a reader gone early (| head) ends quietly, a full disk is one line and exit 1, never a stack trace', () => {
    const templates = join(import.meta.dirname, '../../templates');
    // Through bash, so that the redirections are those of a user's shell.
    const through = (shell: string, script: string, args: readonly string[]): [number | null, string] => {
      const result = spawnSync('bash', ['-c', shell, 'bash', process.execPath, script, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      return [result.status, result.stderr];
    };
    // A prompt and lint write before the stream exists; list asks for the terminal's width, so
    // it writes through the stream.
    const calls = [['reviewer', '--artefact', 'a', '--lens', 'risks'], ['list'], ['lint', '--format', 'sarif', templates]];
    for (const script of [binPath, skillScriptPath]) {
      for (const args of calls) {
        // `true` has exited (the pipe has no reader) long before node has started.
        expect(through('"$@" | true; exit "${PIPESTATUS[0]}"', script, args), `${args.join(' ')} | true`).toEqual([0, '']);
        expect(through('"$@" >/dev/full', script, args), `${args.join(' ')} >/dev/full`).toEqual([1, 'orch-prompt: cannot write to standard output (ENOSPC): what was written is incomplete\n']);
      }
      // An error report that cannot be shown keeps its exit status (2: a usage error).
      expect(through('"$@" 2>/dev/full', script, ['reviewer', '--bogus'])).toEqual([2, '']);
    }
  });

  test('a large prompt is written whole to a pipe', () => {
    // Under 128 KiB: a longer single argument is refused by the kernel (E2BIG) before we run.
    const big = Array.from({ length: 2400 }, (_, i) => `item ${i} ${'y'.repeat(40)}`).join('\n');
    const result = runCli(['reviewer', '--artefact', 'a', '--lens', 'risks', '--pointers', big]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('item 2399 ');
    expect(result.stdout.trimEnd().endsWith('no findings is a valid result.')).toBe(true);
  });
});

describe('help', () => {
  test('every command and role has --help, generated from its flag table', async () => {
    const { commands } = await import('../../src/cli/commands/index.js');
    for (const name of [...Object.keys(commands), ...Object.keys(builtinTemplates().roles)]) {
      const result = await runMain([name, '--help']);
      expect(result.code, name).toBe(0);
      expect(result.stdout, name).toMatch(new RegExp(`^Usage: orch-prompt ${name}\\b`));
      expect(result.stdout, name).toContain('-h, --help');
    }
  });
});

describe('context pack files', () => {
  const flags = ['reviewer', '--artefact', 'a', '--lens', 'risks'];

  test('Markdown: one heading per field, any heading level, content kept as written', async () => {
    const result = await runMain([...flags, '--context-pack', join(fixtures, 'packs/pack.md')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('- Goal: Ship the installer.');
    expect(result.stdout).toMatch(/- Constraints:\n {2}```\n {2}- Keep flags stable\.\n {2}- No new dependencies\.\n {2}```/);
    expect(result.stdout).toContain('- Success check: `` `npm test` passes. ``');
  });

  test('YAML: keys are field flags; lists become bullet lines', async () => {
    const result = await runMain([...flags, '--context-pack', join(fixtures, 'packs/pack.yaml')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('- Non-goals: No new targets.');
    expect(result.stdout).toMatch(/- Constraints:\n {2}```\n {2}- Keep flags stable\.\n/);
  });

  test('JSON: labels work as keys too; a flag overrides the file', async () => {
    const result = await runMain([...flags, '--context-pack', join(fixtures, 'packs/pack.json'), '--goal', 'Overridden.']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('- Goal: Overridden.');
    expect(result.stdout).toContain('- Prior decisions: Atomic installs.');
    expect(result.stdout).not.toContain('Ship the installer.');
  });

  test('no context pack, no CONTEXT PACK block', async () => {
    expect((await runMain(flags)).stdout).not.toContain('CONTEXT PACK');
  });
});

describe('project templates', () => {
  const project = join(fixtures, 'project');

  test('.orch/templates adds a role with its own flags and overrides a built-in lens', async () => {
    const result = await runMain(['editor', '--document', 'README.md', '--audience', 'new users'], { cwd: project });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('TASK: Edit README.md for concision, keeping every fact, for this audience: new users.');
    expect(result.stdout).toContain('SCOPE: may edit README.md only');
    const review = await runMain(['reviewer', '--artefact', 'a', '--lens', 'failure-modes'], { cwd: project });
    expect(review.stdout).toContain('LENS: risks (Project risks)');
    expect(review.stdout).toContain('- Anything that could corrupt the ledger.');
  });

  test('an optional parameter left out leaves its clause out of the task line, never "(not given)"', async () => {
    const result = await runMain(['editor', '--document', 'README.md'], { cwd: project });
    expect(result.stdout).toContain('\nTASK: Edit README.md for concision, keeping every fact.\n');
    expect(result.stdout).not.toContain('not given');
    const given = await runMain(['editor', '--document', 'README.md', '--audience', 'new users'], { cwd: project });
    expect(given.stdout).toContain('\nTASK: Edit README.md for concision, keeping every fact, for this audience: new users.\n');
  });

  test('--templates DIR works from anywhere, and project roles show in help and list', async () => {
    const dir = join(project, '.orch/templates');
    expect((await runMain(['editor', '--templates', dir, '--help'])).stdout).toContain('--document TEXT');
    const list = JSON.parse((await runMain(['list', 'roles', '--format', 'json', '--templates', dir])).stdout) as { roles: Array<{ name: string }> };
    expect(list.roles.map((r) => r.name)).toContain('editor');
  });

  test('a broken project template is a warning with its file and line; the built-ins still work', async () => {
    const result = await runMain(['reviewer', '--artefact', 'a', '--lens', 'risks'], { cwd: join(fixtures, 'broken-project') });
    expect(result.code).toBe(0);
    expect(result.stdout.startsWith('CONTEXT: WORKER\n')).toBe(true);
    expect(result.stderr).toMatch(/^orch-prompt: warning: .*bad\.md:4:\d+: frontmatter: .*; the file is skipped\n$/);
  });

  test('without .orch/templates the built-ins apply', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orch-empty-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(join(dir, '.orch'));
    expect(existsSync(join(dir, '.orch/templates'))).toBe(false);
    expect((await runMain(['list', 'roles', '--format', 'json'], { cwd: dir })).code).toBe(0);
  });
});

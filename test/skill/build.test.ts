import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileSkill } from '../../src/skill/compile.js';
import { builtinTemplates } from '../../src/templates/builtin-set.js';
import { runCli, runMain } from '../support/cli.js';
import { expectSameBytes, skillRuntimeFiles } from '../support/files.js';

const root = join(import.meta.dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'orch-skill-build-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// One build shared by the tests below (each build is a CLI process; the machine has two cores).
const out = join(scratch, 'out');
const built = join(out, 'codex-orchestration');
let buildResult: ReturnType<typeof runCli>;
beforeAll(() => {
  buildResult = runCli(['build', '--out', out]);
}, 120_000);

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

// Each build starts the CLI as a process: give them room on a loaded machine.
describe('orch-prompt build', { timeout: 120_000 }, () => {
  it('--check passes: the committed SKILL.md is what the sources compile to', async () => {
    const result = await runMain(['build', '--check']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('skill is up to date; its 6 custom agents lint clean\n');
    expect(result.code).toBe(0);
  });

  it('writes the skill folder, and the root SKILL.md is byte-identical to the built one', () => {
    const result = buildResult;
    expect(result.code, result.stderr).toBe(0);
    const dir = built;
    const runtime = skillRuntimeFiles();
    expect(result.stdout).toContain(`built codex-orchestration into ${dir} (${8 + runtime.length} files)`);
    expect(listFiles(dir)).toEqual([
      '.orch-install.json',
      'SKILL.md',
      'agents/openai.yaml',
      'references/context-pack.md',
      'references/lenses.md',
      'references/patterns.md',
      'references/roles.md',
      'references/running-workers.md',
      'scripts/orch-prompt.mjs',
      ...runtime,
    ]);
    expect(runtime).toEqual(expect.arrayContaining(['scripts/orch-prompt/start.cjs', 'scripts/orch-prompt/prompt.cjs', 'scripts/orch-prompt/prompt-full.cjs', 'scripts/orch-prompt/cli/orch-prompt.mjs']));
    expectSameBytes(readFileSync(join(dir, 'SKILL.md')), readFileSync(join(root, 'SKILL.md')));
    expectSameBytes(readFileSync(join(dir, 'scripts/orch-prompt.mjs')), readFileSync(join(root, 'dist/orch-prompt.mjs')));
    for (const file of runtime) expectSameBytes(readFileSync(join(dir, file)), readFileSync(join(root, 'dist', file.slice('scripts/'.length))), file);
    expect(statSync(join(dir, 'scripts/orch-prompt.mjs')).mode & 0o111).not.toBe(0);
    // Nothing half-written or hidden is left beside it.
    expect(readdirSync(out)).toEqual(['codex-orchestration']);
  });

  it('is deterministic: building again gives the same bytes, and --check --out agrees', async () => {
    const a = out;
    const b = join(scratch, 'b');
    expect((await runMain(['build', '--out', b])).code).toBe(0);
    for (const file of listFiles(join(a, 'codex-orchestration'))) {
      expectSameBytes(readFileSync(join(b, 'codex-orchestration', file)), readFileSync(join(a, 'codex-orchestration', file)), file);
    }
    expect((await runMain(['build', '--check', '--out', a])).code).toBe(0);
  });

  it('--check never reads a built file that is not a regular file: a FIFO in its place is out of date, not a hang Ctrl-C cannot end', () => {
    const odd = join(scratch, 'odd');
    cpSync(built, join(odd, 'codex-orchestration'), { recursive: true });
    rmSync(join(odd, 'codex-orchestration/references/patterns.md'));
    spawnSync('mkfifo', [join(odd, 'codex-orchestration/references/patterns.md')]);
    const result = runCli(['build', '--check', '--out', 'odd'], { cwd: scratch, timeoutMs: 20_000, killSignal: 'SIGKILL' });
    expect([result.code, result.stdout]).toEqual([1, '']);
    expect(result.stderr).toBe('orch-prompt: odd/codex-orchestration/references/patterns.md is out of date: run `orch-prompt build --out odd --force`\n');
  });

  it('--check names a stale or missing built file, exits 1, and suggests the command that rebuilds that folder', async () => {
    const stale = join(scratch, 'stale');
    cpSync(built, join(stale, 'codex-orchestration'), { recursive: true });
    writeFileSync(join(stale, 'codex-orchestration/references/patterns.md'), 'edited\n');
    rmSync(join(stale, 'codex-orchestration/references/lenses.md'));
    const result = await runMain(['build', '--check', '--out', 'stale'], { cwd: scratch });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    // The folder holds edits, so only --force replaces it (keeping the edits in a backup).
    expect(result.stderr).toBe(
      [
        'orch-prompt: stale/codex-orchestration/references/lenses.md is missing: run `orch-prompt build --out stale --force`',
        'orch-prompt: stale/codex-orchestration/references/patterns.md is out of date: run `orch-prompt build --out stale --force`',
        '',
      ].join('\n'),
    );
    expect((await runMain(['build', '--out', 'stale', '--force'], { cwd: scratch })).code).toBe(0);
    expect(await runMain(['build', '--check', '--out', 'stale'], { cwd: scratch })).toMatchObject({ code: 0, stdout: 'skill is up to date; its 6 custom agents lint clean\n' });
    // A folder with nothing built in it yet needs no --force.
    const empty = await runMain(['build', '--check', '--out', 'my out'], { cwd: scratch });
    expect(empty.stderr.split('\n')[0]).toBe("orch-prompt: my out/codex-orchestration/SKILL.md is missing: run `orch-prompt build --out 'my out'`");
    expect((await runMain(['build', '--out', 'my out'], { cwd: scratch })).code).toBe(0);
    expect((await runMain(['build', '--check', '--out', 'my out'], { cwd: scratch })).code).toBe(0);
  });

  it('never replaces a folder it did not write, or one edited since, without --force; --force keeps it as a backup beside DIR', async () => {
    const base = join(scratch, 'user');
    const dir = join(base, 'out', 'codex-orchestration');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'my-notes.md'), 'precious\n');
    const refused = await runMain(['build', '--out', 'out'], { cwd: base });
    expect([refused.code, refused.stdout]).toEqual([1, '']);
    expect(refused.stderr).toBe(`orch-prompt: build: ${dir} exists and it was not written by orch-prompt; nothing was changed. Pass --force to replace it (a backup is kept)\n`);
    expect(readdirSync(dir)).toEqual(['my-notes.md']);
    const forced = await runMain(['build', '--out', 'out', '--force'], { cwd: base });
    expect(forced.code, forced.stderr).toBe(0);
    const [backup] = readdirSync(join(base, '.orch-skill-backups'));
    expect(forced.stdout).toContain(`built codex-orchestration into ${dir} (${8 + skillRuntimeFiles().length} files)\nkept the previous folder at ${join(base, '.orch-skill-backups', backup as string)}\n`);
    expect(readFileSync(join(base, '.orch-skill-backups', backup as string, 'my-notes.md'), 'utf8')).toBe('precious\n');
    // Now ours: an edit is refused the same way, and a rebuild of the unedited folder needs no --force.
    writeFileSync(join(dir, 'SKILL.md'), 'mine\n');
    expect((await runMain(['build', '--out', 'out'], { cwd: base })).stderr).toContain(`build: ${dir} exists and its files were changed since it was built (SKILL.md); nothing was changed.`);
    expect(readFileSync(join(dir, 'SKILL.md'), 'utf8')).toBe('mine\n');
    expect(readdirSync(join(base, 'out'))).toEqual(['codex-orchestration']);
  });

  it('compiles the same bytes in-process (source templates) as the bundled CLI (precompiled templates)', () => {
    for (const file of compileSkill().files) {
      expect(readFileSync(join(built, file.path)).toString('utf8'), file.path).toBe(Buffer.from(file.content).toString('utf8'));
    }
  });
});

describe('the runtime the skill ships', () => {
  it('carries no JavaScript parser: gray-matter only splits the fences, so its js-yaml 3 (with its js/function type, and esprima) is left out', () => {
    const runtime = skillRuntimeFiles().map((file) => join(root, 'dist', file.slice('scripts/'.length)));
    expect(runtime.length).toBeGreaterThan(3);
    // js-yaml 4 (plain frontmatter, read fast) has no JavaScript types at all.
    expect(runtime.filter((file) => /esprima|js\/function|js\/regexp|js\/undefined/.test(readFileSync(file, 'latin1')))).toEqual([]);
  });
});

describe('scripts/orch-prompt.mjs in a copy of the skill', { timeout: 120_000 }, () => {
  const copy = join(scratch, 'copy');
  const cwd = join(scratch, 'cwd');
  it('runs with plain node and no node_modules, printing exactly what the package CLI prints', () => {
    cpSync(built, copy, { recursive: true });
    cpSync(built, cwd, { recursive: true });
    const cases: string[][] = [
      ['reviewer', '--artefact', 'src/', '--lens', 'risks', '--goal', 'ship it'],
      ['implementer', '--deliverable', 'a fix', '--scope', 'may edit src/ only', '--format', 'json'],
      ['list', '--format', 'json'],
      ['list'],
      ['--help'],
      ['reviewer', '--help'],
      ['--version'],
      ['reviewer', '--artefact', 'x', '--lens', 'rsks'],
      ['nope'],
    ];
    for (const args of cases) {
      const viaPackage = runCli(args, { cwd });
      const viaSkill = runScript(join(copy, 'scripts/orch-prompt.mjs'), args, cwd);
      expect(viaSkill, args.join(' ')).toEqual(viaPackage);
    }
  });
});

describe('the skill script outside the package', { timeout: 120_000 }, () => {
  it('build and install say in one line that they need the package (exit 1, no stack trace)', () => {
    const copy = join(scratch, 'lonely');
    cpSync(built, copy, { recursive: true });
    for (const args of [['build'], ['install', '--dry-run'], ['pack']]) {
      const result = runScript(join(copy, 'scripts/orch-prompt.mjs'), args, copy);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr).toBe(
        `orch-prompt: ${args[0]}: this needs the codex-orchestration package (npx orch-prompt ...); a copy of the skill script cannot build, install or pack the skill\n`,
      );
    }
  });

  it('lint without a path, and no .orch/templates, asks for the paths (exit 2)', () => {
    const copy = join(scratch, 'lonely-lint', 'codex-orchestration');
    cpSync(built, copy, { recursive: true });
    const result = runScript(join(copy, 'scripts/orch-prompt.mjs'), ['lint'], copy);
    expect([result.code, result.stderr]).toEqual([2, 'orch-prompt: lint: no .orch/templates/ here; pass the files or folders to lint\n']);
    const skill = runScript(join(copy, 'scripts/orch-prompt.mjs'), ['lint', 'SKILL.md'], copy);
    expect(skill.code).toBe(0);
  });
});

describe('compileSkill', () => {
  it('names the file and line of an unknown generated block', () => {
    const sourceDir = join(import.meta.dirname, '..', 'fixtures', 'skill', 'compile-unknown-block', 'sources');
    expect(() => compileSkill({ sourceDir })).toThrow('SKILL.md:8: unknown generated block `nonsense`, expected one of `catalogue`, `roles`, `lenses`, `context-fields`');
  });
});

function runScript(script: string, args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [script, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', NODE_PATH: '' }, input: '', encoding: 'utf8' });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

describe('the compiled skill', () => {
  const files = compileSkill().files.filter((f) => f.path.endsWith('.md'));
  const text = (path: string): string => Buffer.from(files.find((f) => f.path === path)?.content ?? '').toString('utf8');

  it.each(files.map((f) => f.path))('%s matches its reviewed snapshot', async (path) => {
    await expect(text(path)).toMatchFileSnapshot(`__snapshots__/compiled/${path}`);
  });

  it('carries the orchestration guidance, corrected for today\'s Codex', () => {
    const skill = text('SKILL.md');
    const all = files.map((f) => text(f.path)).join('\n');
    // The recursion guard and the two modes.
    expect(skill).toContain('If your prompt begins with the line `CONTEXT: WORKER`, you are a worker.');
    expect(skill).toContain('**Orchestrator mode**');
    // Planning only through update_plan when it is offered.
    expect(skill).toContain('If the `update_plan` tool is\noffered, use it; otherwise');
    expect(skill).toContain('many\nreaders, one writer');
    // Prompts come from the script and go to codex exec on stdin; custom agents first.
    expect(skill).toContain('node <skill folder>/scripts/orch-prompt.mjs reviewer');
    expect(all).toContain('The prompt goes on standard input (`-`)');
    expect(skill).toContain('**Custom agents, first.**');
    expect(skill).toContain('**Plain sub-agents**');
    expect(skill).toContain('node <skill folder>/scripts/orch-prompt.mjs run reviewer');
    for (const pattern of ['Triangulated review', 'Review, fix, verify', 'Scout, act, verify', 'Split by sections', 'Research and synthesis', 'Options sprint']) {
      expect(skill).toContain(`**${pattern}**`);
    }
    expect(skill).toContain('**The boss rule:**');
    // Details live in references, each linked with when to read it.
    for (const ref of ['running-workers', 'patterns', 'roles', 'lenses', 'context-pack']) expect(skill).toMatch(new RegExp(`\\[[a-z ]+\\]\\(references/${ref}\\.md\\): [a-z]`, 'm'));
    // Terminal habits and output capture.
    for (const phrase of ['`yield_time_ms`', '`max_output_tokens`', '`session_id`', '`write_stdin`', '`-o FILE` (`--output-last-message`)', '--skip-git-repo-check', 'item.type == "agent_message"', 'nohup', 'Ctrl-C']) {
      expect(all).toContain(phrase);
    }
    // Every deliverable is named.
    expect(text('references/patterns.md').match(/\*\*Deliverable:\*\*/g)).toHaveLength(6);
  });

  it('generates the role, lens and context-pack lists from the templates', () => {
    const templates = builtinTemplates();
    for (const role of Object.values(templates.roles)) expect(text('references/roles.md')).toContain(`| \`${role.name}\` | ${role.description} |`);
    for (const lens of Object.values(templates.lenses)) expect(text('references/lenses.md')).toContain(`| \`${lens.name}\` | ${lens.title}: ${lens.description} |`);
    for (const field of templates.contextPack.fields) expect(text('references/context-pack.md')).toContain(`- **${field.label}** (\`--${field.flag}\`): ${field.description}`);
    expect(text('SKILL.md')).toContain(`Lenses: ${Object.keys(templates.lenses).sort().join(', ')}.`);
  });
});

import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeTree } from '../support/files.js';
import { runCli, runMain, skillScriptPath } from '../support/cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'orch-project-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const builtins = join(import.meta.dirname, '../../templates');
const reviewer = readFileSync(join(builtins, 'roles/reviewer.md'), 'utf8');
const risks = readFileSync(join(builtins, 'lenses/risks.md'), 'utf8');

let count = 0;
const project = (files: Record<string, string>): string => writeTree(join(scratch, `p${++count}`), files);

const editingReviewer = reviewer.replace('scope: read-only', 'scope: may edit {{artefact}} only').replace('edits: false', 'edits: true').replace('Reviews an artefact', 'Reviews and fixes an artefact');
const projectRisks = risks.replace('title: Risks and failure modes', 'title: Project risks');
const notices = [
  'orch-prompt: note: .orch/templates/lenses/risks.md replaces the built-in lens `risks`',
  'orch-prompt: note: .orch/templates/roles/reviewer.md replaces the built-in role `reviewer` and lets it edit files',
];
const lines = (text: string): string[] => text.split('\n').filter(Boolean);

// The notes name a built-in as the bundle does ("the built-in lens", `builtin:` sources): these
// tests run the real CLI. In-process, the built-ins are read from templates/ and named by path.
describe('a project template that replaces a built-in is never silent', { timeout: 60_000 }, () => {
  const dir = project({ '.orch/templates/roles/reviewer.md': editingReviewer, '.orch/templates/lenses/risks.md': projectRisks });
  const review = ['reviewer', '--artefact', 'a', '--lens', 'risks'];

  it('a prompt: one note per replaced template on stderr, naming the file', () => {
    const result = runCli(review, { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('LENS: risks (Project risks)');
    expect(lines(result.stderr)).toEqual(notices);
  });

  it('the skill script says the same (it is the same bundle)', () => {
    const result = runCli(review, { cwd: dir, script: skillScriptPath });
    expect(result.code).toBe(0);
    expect(lines(result.stderr)).toEqual(notices);
  });

  it('--format json lists the overrides instead of printing notes', () => {
    const result = runCli([...review, '--format', 'json'], { cwd: dir });
    expect(result.stderr).toBe('');
    const view = JSON.parse(result.stdout) as { overrides: unknown; edits: boolean };
    expect(view.overrides).toEqual([
      { kind: 'lens', name: 'risks', source: '.orch/templates/lenses/risks.md', replaces: 'builtin:templates/lenses/risks.md' },
      { kind: 'role', name: 'reviewer', source: '.orch/templates/roles/reviewer.md', replaces: 'builtin:templates/roles/reviewer.md', widens: 'edit files' },
    ]);
    expect(view.edits).toBe(true);
    const list = runCli(['list', '--format', 'json'], { cwd: dir });
    expect(list.stderr).toBe('');
    expect((JSON.parse(list.stdout) as { overrides: unknown }).overrides).toEqual(view.overrides);
  });

  it('list, --help and run --dry-run note them too, once per command', () => {
    for (const args of [['list'], ['--help'], ['reviewer', '--help'], ['run', ...review, '--dry-run']]) {
      const result = runCli(args, { cwd: dir });
      expect(result.code, args.join(' ')).toBe(0);
      expect(lines(result.stderr), args.join(' ')).toEqual(notices);
    }
  });

  it('--no-project-templates ignores .orch/templates for every command that loads templates', async () => {
    const plain = await runMain(review, { cwd: scratch });
    for (const script of [undefined, skillScriptPath]) {
      const result = runCli([...review, '--no-project-templates'], { cwd: dir, ...(script ? { script } : {}) });
      expect([result.code, result.stderr]).toEqual([0, '']);
      expect(result.stdout).toBe(plain.stdout);
    }
    const list = await runMain(['list', '--format', 'json', '--no-project-templates'], { cwd: dir });
    expect((JSON.parse(list.stdout) as { roles: Array<{ name: string; edits: boolean }>; overrides: unknown[] }).overrides).toEqual([]);
    expect((await runMain(['--help', '--no-project-templates'], { cwd: dir })).stderr).toBe('');
    const run = await runMain(['run', ...review, '--dry-run', '--format', 'json', '--no-project-templates'], { cwd: dir });
    expect(run.stderr).toBe('');
    expect((JSON.parse(run.stdout) as Array<{ sandbox: string }>)[0]?.sandbox).toBe('read-only');
    const plan = project({ 'plan.yaml': 'stages:\n  - name: review\n    workers:\n      - role: reviewer\n        params: { artefact: a }\n        lenses: [risks]\n' });
    writeFileSync(join(dir, 'plan.yaml'), readFileSync(join(plan, 'plan.yaml')));
    const planned = await runMain(['run', '--plan', 'plan.yaml', '--dry-run', '--no-project-templates'], { cwd: dir });
    expect([planned.code, planned.stderr]).toEqual([0, '']);
  });
});

describe('a broken project template breaks only what needs it', { timeout: 60_000 }, () => {
  // auditor.md has a sound frontmatter and a broken body: only using it finds out (bodies are
  // parsed on first use). tone.md's frontmatter is wrong but names it; notes.md names nothing.
  const auditor = reviewer.replace('name: reviewer', 'name: auditor').replace(/## Output[^]*?(?=## Don't)/, '');
  const dir = project({
    '.orch/templates/roles/auditor.md': auditor,
    '.orch/templates/lenses/tone.md': '---\nkind: lens\nname: tone\ntitle: Tone\n---\n\n- Talks down.\n',
    '.orch/templates/notes.md': '# Notes, no frontmatter\n',
  });
  const warnings = [
    "orch-prompt: warning: .orch/templates/lenses/tone.md:2:1: frontmatter is missing the key `description`; lens `tone` cannot be used until it is fixed",
    'orch-prompt: warning: .orch/templates/notes.md:1:1: no frontmatter: a template starts with `---`, YAML, `---`; the file is skipped',
  ];

  it('a command that does not need it works, naming every file it could not load in a warning', async () => {
    for (const args of [['reviewer', '--artefact', 'a', '--lens', 'risks'], ['list'], ['--help'], ['auditor', '--help'], ['run', 'reviewer', '--artefact', 'a', '--lens', 'risks', '--dry-run']]) {
      const result = await runMain(args, { cwd: dir });
      expect(result.code, args.join(' ')).toBe(0);
      expect(lines(result.stderr), args.join(' ')).toEqual(warnings);
    }
  });

  it('using the broken role or lens is one line naming the file, exit 2; the other files are still named', async () => {
    const role = await runMain(['auditor', '--artefact', 'a', '--lens', 'risks'], { cwd: dir });
    expect(role.code).toBe(2);
    // The error, last, is the reason for the exit.
    expect(lines(role.stderr)).toEqual([...warnings, "orch-prompt: .orch/templates/roles/auditor.md:1:1: role has no `## Output` section (or it is empty)"]);
    const lens = await runMain(['reviewer', '--artefact', 'a', '--lens', 'tone'], { cwd: dir });
    expect(lens.code).toBe(2);
    expect(lines(lens.stderr)).toEqual([warnings[1], "orch-prompt: lens `tone` cannot be used: .orch/templates/lenses/tone.md:2:1: frontmatter is missing the key `description`"]);
    const run = await runMain(['run', 'auditor', '--artefact', 'a', '--lens', 'risks', '--dry-run'], { cwd: dir });
    expect(run.code).toBe(2);
    // Every failure of a command is prefixed with its name, in the one renderer.
    expect(lines(run.stderr).at(-1)).toBe("orch-prompt: run: .orch/templates/roles/auditor.md:1:1: role has no `## Output` section (or it is empty)");
  });

  it('two files of one folder defining one role: using it names both files', async () => {
    const twice = project({ '.orch/templates/roles/auditor.md': reviewer.replace('name: reviewer', 'name: auditor'), '.orch/templates/auditor.md': reviewer.replace('name: reviewer', 'name: auditor') });
    const result = await runMain(['auditor', '--artefact', 'a', '--lens', 'risks'], { cwd: twice });
    expect([result.code, lines(result.stderr)]).toEqual([2, ['orch-prompt: role `auditor` is defined by 2 files of one folder, `.orch/templates/auditor.md` and `.orch/templates/roles/auditor.md`, expected one: remove or rename all but one']]);
    const lint = await runMain(['lint'], { cwd: twice });
    expect(lint.stdout).toMatch(/3:7 +error +role `auditor` is also defined by `\.orch\/templates\/roles\/auditor\.md` in the same folder/);
  });
});

describe('nothing untrusted reaches the terminal raw', { timeout: 60_000 }, () => {
  const esc = '\u001b]0;pwned\u0007\u001b[2J';
  const dir = project({
    '.orch/templates/roles/shouter.md': reviewer.replace('name: reviewer', 'name: shouter').replace(/^description: .*$/m, `description: "Shouts ${esc.replace(/\u001b/g, '\\e').replace(/\u0007/g, '\\a')} loudly."`),
    [`.orch/templates/lenses/bad${'\u001b[31m'}name.md`]: '---\nkind: lens\n---\n',
  });
  const raw = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

  it('list, --help and a role --help show control characters as escapes', async () => {
    for (const args of [['list'], ['--help'], ['shouter', '--help']]) {
      const result = await runMain(args, { cwd: dir });
      expect(result.code, args.join(' ')).toBe(0);
      expect(result.stdout, args.join(' ')).toContain('Shouts \\x1b]0;pwned\\x07\\x1b[2J loudly.');
      expect(raw.test(result.stdout + result.stderr), args.join(' ')).toBe(false);
      expect(result.stderr, args.join(' ')).toContain('lenses/bad\\x1b[31mname.md');
    }
  });

  it('errors and lint reports too', async () => {
    const error = await runMain(['reviewer', '--artefact', 'a', '--lens', `x${esc}`], { cwd: dir });
    expect(error.code).toBe(2);
    expect(error.stderr).toContain('unknown lens `x\\x1b]0;pwned\\x07\\x1b[2J`');
    expect(raw.test(error.stderr)).toBe(false);
    const lint = await runMain(['lint'], { cwd: dir });
    expect(lint.stdout).toContain('.orch/templates/lenses/bad\\x1b[31mname.md');
    expect(lint.stdout).toMatch(/control character U\+001B \(a terminal escape sequence, written as a YAML escape\)/);
    expect(raw.test(lint.stdout)).toBe(false);
  });

  it('a value with control characters reaches the prompt as visible escapes', async () => {
    const result = await runMain(['reviewer', '--artefact', `src/${esc}`, '--lens', 'risks', '--goal', 'line one\r\nline\u202e two\u0001'], { cwd: scratch });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('TASK: Review `src/\\x1b]0;pwned\\x07\\x1b[2J` through');
    expect(result.stdout).toContain('  line one\n  line\\u202e two\\x01\n');
    expect(raw.test(result.stdout)).toBe(false);
  });
});

describe("a project's templates are data: no link in them is followed", { timeout: 60_000 }, () => {
  // A role file that leads out of the project (a repository can ship any link), and one kept
  // outside: neither is read unless the user names the folder.
  const outside = project({ 'auditor.md': reviewer.replace('name: reviewer', 'name: auditor'), 'lenses/risks.md': projectRisks });
  const review = ['reviewer', '--artefact', 'a', '--lens', 'risks'];
  const skippedLink = (path: string): string =>
    `orch-prompt: warning: ${path}: skipped, a symbolic link: a project's own templates are read as they are on disk (to follow links, name the folder: --no-project-templates --templates .orch/templates)`;

  it('a linked file or folder inside .orch/templates/ is skipped with a warning naming it', async () => {
    const dir = project({ '.orch/templates/roles/notes.txt': 'x' });
    symlinkSync(join(outside, 'auditor.md'), join(dir, '.orch/templates/roles/auditor.md'));
    symlinkSync(join(outside, 'lenses'), join(dir, '.orch/templates/lenses'));
    const used = await runMain(['auditor', '--artefact', 'a', '--lens', 'risks'], { cwd: dir });
    expect(used.code).toBe(2);
    expect(used.stderr).toContain("orch-prompt: no role or lens `auditor` could be loaded: .orch/templates/roles/auditor.md: skipped, a symbolic link: a project's own templates");
    const prompt = await runMain(review, { cwd: dir });
    expect(prompt.code).toBe(0);
    expect(prompt.stdout).toContain('LENS: risks (Risks and failure modes)');
    expect(lines(prompt.stderr)).toEqual([skippedLink('.orch/templates/lenses'), skippedLink('.orch/templates/roles/auditor.md')]);
  });

  it('a .orch/templates that is not a folder (a file, a link to nothing, a link loop) is named in a warning, never silently skipped', async () => {
    const review = ['reviewer', '--artefact', 'a', '--lens', 'risks'];
    const warning = (what: string): string => `orch-prompt: warning: .orch/templates is ${what}, not a folder: it is not read, and the built-in templates apply\n`;
    const file = project({ '.orch/templates': 'roles go in a folder\n' });
    const dangling = project({ 'README.md': '# p\n' });
    mkdirSync(join(dangling, '.orch'));
    symlinkSync(join(dangling, 'nowhere'), join(dangling, '.orch', 'templates'));
    const loop = project({ 'README.md': '# p\n' });
    mkdirSync(join(loop, '.orch'));
    symlinkSync(join(loop, '.orch', 'templates'), join(loop, '.orch', 'templates'));
    for (const [dir, what] of [[file, 'a file'], [dangling, 'a link to nothing'], [loop, 'a link loop']] as const) {
      const prompt = await runMain(review, { cwd: dir });
      expect([prompt.code, prompt.stderr], what).toEqual([0, warning(what)]);
      expect(prompt.stdout).toContain('LENS: risks (Risks and failure modes)');
    }
    // The real CLI too (it starts the prompt script without template readers here).
    const real = runCli(review, { cwd: file });
    expect([real.code, real.stderr]).toEqual([0, warning('a file')]);
    expect((await runMain([...review, '--no-project-templates'], { cwd: file })).stderr).toBe('');
  });

  it('a .orch/templates/ that is a link is not read; named with --templates it is', async () => {
    const dir = project({ 'README.md': '# p\n' });
    mkdirSync(join(dir, '.orch'));
    symlinkSync(outside, join(dir, '.orch', 'templates'));
    const prompt = await runMain(['auditor', '--artefact', 'a', '--lens', 'risks'], { cwd: dir });
    expect(prompt.code).toBe(2);
    expect(prompt.stderr).toContain(`.orch/templates: a symbolic link: a project's own templates`);
    const named = await runMain(['auditor', '--artefact', 'a', '--lens', 'risks', '--no-project-templates', '--templates', '.orch/templates'], { cwd: dir });
    expect(named.code, named.stderr).toBe(0);
    expect(named.stderr).toMatch(/^orch-prompt: note: \.orch\/templates\/lenses\/risks\.md replaces the lens `risks`/);
    expect(named.stdout).toContain('LENS: risks (Project risks)');
  });
});

describe('flags', { timeout: 60_000 }, () => {
  it('a value starting with - is taken when it is not one of the flags', async () => {
    const result = await runMain(['reviewer', '--artefact', '-', '--lens', 'risks', '--goal', '-x', '--constraints', '--no-such-flag'], { cwd: scratch });
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toContain('TASK: Review `-` through');
    expect(result.stdout).toContain('- Goal: -x\n');
    expect(result.stdout).toContain('- Constraints: `--no-such-flag`\n');
  });

  it('a flag where a value should be still says the value is missing', async () => {
    const result = await runMain(['reviewer', '--artefact', 'a', '--goal', '--lens', 'risks'], { cwd: scratch });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('orch-prompt: reviewer: --goal needs a value, but the next argument `--lens` is a flag (for a value that starts with -, write --goal=VALUE)\n');
  });

  it('"did you mean" is the same in the CLI and in lint: secruity -> security, not the alias sec', async () => {
    const cli = await runMain(['reviewer', '--artefact', 'a', '--lens', 'secruity'], { cwd: scratch });
    expect(cli.stderr).toMatch(/\(did you mean `security`\?\)\n$/);
    const dir = project({ '.orch/templates/roles/reviewer.md': reviewer.replace('## Do\n', '## Do\n\n- Compare with `orch-prompt reviewer --lens secruity`.\n') });
    const lint = await runMain(['lint', '--format', 'json'], { cwd: dir });
    const findings = (JSON.parse(lint.stdout) as { files: Array<{ findings: Array<{ ruleId: string; data: { hint: string } }> }> }).files.flatMap((f) => f.findings);
    expect(findings.filter((f) => f.ruleId === 'unknown-lens').map((f) => f.data.hint)).toEqual([' (did you mean `security`?)']);
  });
});

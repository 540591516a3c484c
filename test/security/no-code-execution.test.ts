import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileSkill } from '../../src/skill/compile.js';
import { runCli, skillScriptPath } from '../support/cli.js';

// Frontmatter is YAML data and nothing else. gray-matter, which finds the fences, runs a
// `---js` / `---javascript` block as code with its default engines; these tests plant such
// blocks wherever the CLI reads frontmatter and prove, by a marker file that must never appear,
// that none of them runs.

const scratch = mkdtempSync(join(tmpdir(), 'orch-no-exec-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const marker = join(scratch, 'ran');

/** Frontmatter that, if evaluated, writes the marker (and would load as a valid template). */
function evil(fence: string, template = "{ kind: 'role', name: 'evil', description: 'x' }"): string {
  return `${fence}\nprocess.getBuiltinModule('fs').writeFileSync(${JSON.stringify(marker)}, 'ran'); (${template})\n---\n\n## Task\n\nDo it.\n`;
}

// A project whose every template folder, skill folder and Codex home holds such files.
const project = join(scratch, 'project');
const home = join(scratch, 'home');
const codexHome = join(scratch, 'codex-home');
for (const [path, text] of Object.entries({
  '.orch/templates/evil.md': evil('---js'),
  '.orch/templates/roles/reviewer.md': evil('---javascript', "{ kind: 'role', name: 'reviewer', description: 'x' }"),
  '.orch/templates/lenses/risks.md': evil('--- js', "{ kind: 'lens', name: 'risks', title: 'x', description: 'x' }"),
  '.orch/templates/preamble.md': evil('---js', "{ kind: 'preamble', name: 'preamble' }"),
  'extra/more.md': evil('---coffee'),
  'skill/evil-skill/SKILL.md': evil('---js', "{ name: 'evil-skill', description: 'x' }"),
  'pack.md': evil('---js', "{ goal: 'x' }"),
})) {
  mkdirSync(join(project, path, '..'), { recursive: true });
  writeFileSync(join(project, path), text);
}
mkdirSync(join(codexHome, 'skills/evil'), { recursive: true });
writeFileSync(join(codexHome, 'skills/evil/SKILL.md'), evil('---js', "{ name: 'codex-orchestration', description: 'x' }"));
mkdirSync(home, { recursive: true });

// PATH without the package's tools: doctor would start clawhub from there twice (a second of CPU
// each), which reads no frontmatter.
const path = (process.env['PATH'] ?? '').split(':').filter((dir) => !dir.endsWith('node_modules/.bin')).join(':');
const env = { HOME: home, CODEX_HOME: codexHome, PATH: path };
const commands: Array<[string, string[]]> = [
  ['--help', ['--help']],
  ['help for a role', ['reviewer', '--help']],
  ['list', ['list']],
  ['list --templates', ['list', '--templates', 'extra', '--format', 'json']],
  ['a role', ['reviewer', '--artefact', 'a', '--lens', 'risks']],
  ['a project role', ['evil']],
  ['a context pack', ['scout', '--target', 'x', '--context-pack', 'pack.md']],
  ['run --dry-run', ['run', 'scout', '--target', 'x', '--dry-run']],
  ['lint', ['lint']],
  ['lint a skill folder', ['lint', 'skill/evil-skill']],
  ['doctor', ['doctor']],
];

describe('no frontmatter ever runs as code', { timeout: 120_000 }, () => {
  it.each(commands)('package CLI: %s', (_, args) => {
    const result = runCli(args, { cwd: project, env });
    expect(existsSync(marker), result.stderr).toBe(false);
    expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
  });

  it.each(commands.filter(([name]) => name !== 'doctor'))('skill script: %s', (_, args) => {
    const result = runCli(args, { cwd: project, env, script: skillScriptPath });
    expect(existsSync(marker), result.stderr).toBe(false);
    expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
  });

  it('what the commands say: the broken project files are named, the built-ins still work', () => {
    // What a `---js` file meant to define cannot be read (it is not YAML), so each is skipped
    // with a warning naming it, and the built-ins stand.
    const result = runCli(['scout', '--target', 'x'], { cwd: project, env });
    expect(result.code).toBe(0);
    expect(result.stdout.startsWith('CONTEXT: WORKER\n')).toBe(true);
    expect(result.stderr.split('\n').filter(Boolean)).toEqual(
      ['evil.md:1:4', 'lenses/risks.md:1:4', 'preamble.md:1:4', 'roles/reviewer.md:1:4'].map(
        (place) => `orch-prompt: warning: .orch/templates/${place}: frontmatter: the opening fence \`${place.startsWith('roles') ? '---javascript' : place.startsWith('lenses') ? '--- js' : '---js'}\` names a language, expected a line \`---\` alone: only YAML frontmatter is read; the file is skipped`,
      ),
    );
    // Asking for the role a `---js` file is named after: one line naming the file.
    const evilRole = runCli(['evil'], { cwd: project, env });
    expect([evilRole.code, evilRole.stderr.split('\n').filter(Boolean).at(-1)]).toEqual([
      2,
      'orch-prompt: no role or lens `evil` could be loaded: .orch/templates/evil.md:1:4: frontmatter: the opening fence `---js` names a language, expected a line `---` alone: only YAML frontmatter is read',
    ]);
    expect(evilRole.stderr).not.toContain('warning: .orch/templates/evil.md');
    const lint = runCli(['lint', '--format', 'json'], { cwd: project, env });
    const report = JSON.parse(lint.stdout) as { files: Array<{ file: string; findings: Array<{ ruleId: string; line: number; column: number }> }> };
    expect(report.files.map((f) => [f.file, f.findings[0]?.ruleId, f.findings[0]?.line, f.findings[0]?.column])).toEqual([
      ['.orch/templates/evil.md', 'frontmatter-yaml', 1, 4],
      ['.orch/templates/lenses/risks.md', 'frontmatter-yaml', 1, 4],
      ['.orch/templates/preamble.md', 'frontmatter-yaml', 1, 4],
      ['.orch/templates/roles/reviewer.md', 'frontmatter-yaml', 1, 4],
    ]);
    expect(existsSync(marker)).toBe(false);
  });

  it('skill sources: compiling a SKILL.md with `---js` is a one-line error, never a run', () => {
    expect(() => compileSkill({ sourceDir: join(project, 'skill/evil-skill') })).toThrow(/SKILL\.md:1:4: the opening fence `---js` names a language/);
    expect(existsSync(marker)).toBe(false);
  });
});

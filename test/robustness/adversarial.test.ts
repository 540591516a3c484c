import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { adversarialPacks, adversarialTemplates } from '../support/adversarial-corpus.js';
import { runCli, skillScriptPath, type CliResult } from '../support/cli.js';

// A generated corpus of hostile inputs, fed to the CLI as a real process on a small heap.
// Whatever a project's templates folder or a context pack holds, every command must end on its
// own (no hang: the spawn is killed after two minutes), within bounded memory (the child gets a
// 128 MB heap, so unbounded growth dies with an abort, which the test sees: before the limits,
// /dev/zero grew to 24 GB and a 5 MB role took 2 GB; the worst input within the limits, 128 KB
// of tiny sections, needs about 80 MB), with at most one clear line per problem (never
// "internal error" or a stack trace), and without running any of it as code (a marker file
// that must never appear).

const scratch = mkdtempSync(join(tmpdir(), 'orch-adversarial-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const project = join(scratch, 'project');
const templates = join(project, '.orch/templates');
const marker = join(scratch, 'ran');
mkdirSync(templates, { recursive: true });

const corpus = adversarialTemplates(marker);
for (const [name, content] of Object.entries(corpus)) writeFileSync(join(templates, name), content);
// Special files: never opened, only named.
execFileSync('mkfifo', [join(templates, 'fifo.md')]);
symlinkSync('/dev/zero', join(templates, 'zero.md'));
mkdirSync(join(templates, 'folder.md'));
symlinkSync(join(templates, 'nowhere'), join(templates, 'broken-link.md'));
symlinkSync(templates, join(templates, 'loop'));

const packs = adversarialPacks;
for (const [name, content] of Object.entries(packs)) writeFileSync(join(project, name), content);
execFileSync('mkfifo', [join(project, 'fifo.md')]);
symlinkSync('/dev/zero', join(project, 'zero.json'));

/** Run on a small heap; a hang is killed after two minutes. */
function cli(args: string[], script?: string): CliResult {
  return runCli(args, { cwd: project, env: { HOME: scratch, CODEX_HOME: join(scratch, 'codex-home') }, nodeArgs: ['--max-old-space-size=128'], timeoutMs: 120_000, ...(script ? { script } : {}) });
}

/** Ended on its own, a normal exit code, no internal error, no trace, no code run. */
function expectContained(result: CliResult, what: string): void {
  expect(result.signal, `${what}: killed (a hang, or memory ran out)\n${result.stderr.slice(0, 2000)}`).toBeUndefined();
  expect([0, 1, 2], `${what}: exit ${result.code}\n${result.stderr.slice(0, 2000)}`).toContain(result.code);
  expect(result.stderr, what).not.toMatch(/internal error|FATAL ERROR|heap out of memory|\n\s+at \S/);
  expect(existsSync(marker), `${what}: code ran`).toBe(false);
}

describe('an adversarial templates folder', { timeout: 300_000 }, () => {
  const commands: Array<[string, string[], string?]> = [
    ['--help', ['--help']],
    ['list', ['list']],
    ['list --format json', ['list', '--format', 'json']],
    ['a built-in role', ['reviewer', '--artefact', 'a', '--lens', 'risks']],
    ['a role --help', ['reviewer', '--help']],
    ['run --dry-run', ['run', 'reviewer', '--artefact', 'a', '--lens', 'risks', '--dry-run']],
    ['the skill script: list', ['list'], skillScriptPath],
    ['the skill script: a role', ['scout', '--target', 'x'], skillScriptPath],
  ];

  it.each(commands)('%s: contained', (what, args, script) => {
    const result = cli(args, script);
    expectContained(result, what);
  });

  it('commands that do not need the bad files work, and name them', () => {
    const role = cli(['reviewer', '--artefact', 'a', '--lens', 'security']);
    expect(role.code).toBe(0);
    expect(role.stdout.startsWith('CONTEXT: WORKER\n')).toBe(true);
    // Every bad file is named once; nothing raw reaches the terminal.
    const warned = role.stderr.split('\n').filter((line) => line.startsWith('orch-prompt: warning: '));
    for (const name of ['fm-js.md', 'fm-laughs.md', 'fm-deep-flow.md', 'too-big.md', 'binary.md', 'fifo.md', 'zero.md', 'name\\x1b[31mred.md']) {
      expect(warned.filter((line) => line.includes(`.orch/templates/${name}`)), name).toHaveLength(1);
    }
    expect(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(role.stderr)).toBe(false);
  });

  it('lint reports every file, each bad one with at least one finding', () => {
    const result = cli(['lint', '--format', 'json']);
    expectContained(result, 'lint --format json');
    const report = JSON.parse(result.stdout) as { files: Array<{ file: string; findings: unknown[] }> };
    const byFile = new Map(report.files.map((f) => [f.file.replace('.orch/templates/', ''), f.findings.length]));
    // Odd but valid: linted like any other file, findings or not.
    const valid = ['fm-bom-crlf.md', 'fm-huge-scalar.md', 'body-sections.md', 'body-long-line.md', 'body-brackets.md', 'body-emphasis.md', 'body-star-underscore.md', 'body-backticks.md'];
    for (const name of [...Object.keys(corpus), 'fifo.md', 'zero.md']) {
      expect(byFile.has(name), `${name} is in the report`).toBe(true);
      if (!valid.includes(name)) expect(byFile.get(name), name).toBeGreaterThan(0);
    }
    expect(byFile.get('fm-bom-crlf.md')).toBe(0);
  });

  it('special files named on the command line are refused without being read', () => {
    const result = cli(['lint', '--format', 'json', '.orch/templates/fifo.md', '.orch/templates/zero.md', '/dev/zero']);
    expectContained(result, 'lint special files');
    expect(result.code).toBe(1);
  });
});

describe('adversarial context packs', { timeout: 180_000 }, () => {
  it.each([...Object.keys(packs), 'fifo.md', 'zero.json'])('%s: contained, one line', (name) => {
    const result = cli(['reviewer', '--artefact', 'a', '--lens', 'risks', '--context-pack', name, '--no-project-templates']);
    expectContained(result, name);
    if (result.code !== 0) expect(result.stderr.split('\n').filter(Boolean), name).toHaveLength(1);
  });

  it('a pack with a BOM and CR LF keeps every field whole', () => {
    const result = cli(['reviewer', '--artefact', 'a', '--lens', 'risks', '--context-pack', 'bom-crlf.md', '--no-project-templates']);
    expect(result.stdout).toContain('- Goal: Ship the fix by Friday\n');
  });

  it('the corpus files are what they claim to be', () => {
    expect(readFileSync(join(project, 'deep.json'), 'utf8')).toHaveLength(200_010);
    expect(Buffer.byteLength(corpus['too-big.md'] as string)).toBeGreaterThan(5_000_000);
  });
});

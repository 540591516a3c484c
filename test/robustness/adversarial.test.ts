import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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

const run = `process.getBuiltinModule('fs').writeFileSync(${JSON.stringify(marker)}, 'ran')`;
const lens = (name: string, extra = '', body = '- Look for it (a missing check, a wrong default).\n'): string => `---\nkind: lens\nname: ${name}\ntitle: T\ndescription: D.${extra}\n---\n\n${body}`;
let laughs = 'a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
for (let i = 1; i < 10; i++) laughs += `a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]\n`;
const sections = (bytes: number): string => {
  let out = '';
  for (let i = 0; out.length < bytes; i++) out += `\n### Part ${i}\n\n- Look for \`x${i}\`.\n`;
  return out;
};

/** Template files: malformed frontmatter of every kind, huge and deep bodies, escapes. */
const corpus: Record<string, string | Uint8Array> = {
  'fm-js.md': `---js\n${run}; ({ kind: 'lens', name: 'fm-js' })\n---\n`,
  'fm-javascript.md': `---javascript\n${run}\n---\n`,
  'fm-coffee.md': `--- coffee\n${run}\n---\n`,
  'fm-toml.md': '---toml\nkind = "lens"\nname = "fm-toml"\n---\n',
  'fm-json.md': '---json\n{"kind": "lens", "name": "fm-json"}\n---\n',
  'fm-js-closed-late.md': `---js\n${run}\n`,
  'fm-unclosed.md': '---\nkind: lens\nname: fm-unclosed\n\n- body\n',
  'fm-tabs.md': '---\nkind: lens\n\tname: fm-tabs\n---\n',
  'fm-alias.md': lens('fm-alias').replace('title: T', 'title: *nowhere'),
  'fm-self-alias.md': lens('fm-self-alias', '\nx: &x [*x]'),
  'fm-laughs.md': lens('fm-laughs', `\n${laughs.trimEnd()}\nboom: *a9`),
  'fm-deep-flow.md': lens('fm-deep-flow', `\nx: ${'['.repeat(100_000)}${']'.repeat(100_000)}`),
  'fm-deep-block.md': lens('fm-deep-block', `\nx:\n  ${'- '.repeat(10_000)}y`),
  'fm-huge-scalar.md': lens('fm-huge-scalar', ` ${'long '.repeat(24_000)}`),
  'fm-list.md': '---\n- kind\n- lens\n---\n',
  'fm-scalar.md': '---\njust text\n---\n',
  'fm-empty.md': '---\n---\n\n- body\n',
  'fm-tags.md': lens('fm-tags', `\nf: !!js/function "function () { ${run} }"\nb: !!binary aGVsbG8=\np: !!python/object:os.system ls`),
  'fm-merge.md': lens('fm-merge', '\nbase: &base { a: 1 }\nmore:\n  <<: *base'),
  'fm-duplicate-keys.md': lens('fm-duplicate-keys', '\nname: again'),
  'fm-bom-crlf.md': `\ufeff${lens('fm-bom-crlf').replace(/\n/g, '\r\n')}`,
  'fm-escapes.md': '---\nkind: lens\nname: fm-escapes\ntitle: T\ndescription: "D \\e]0;owned\\a\\e[2J\\u202e"\n---\n\n- Look.\n',
  'body-deep-quotes.md': lens('body-deep-quotes', '', `${'> '.repeat(3000)}deep\n`),
  'body-deep-lists.md': lens('body-deep-lists', '', Array.from({ length: 300 }, (_, i) => `${'  '.repeat(i)}- level ${i}`).join('\n')),
  'body-sections.md': lens('body-sections', '', sections(120_000)),
  'body-long-line.md': lens('body-long-line', '', 'a'.repeat(120_000)),
  'body-brackets.md': lens('body-brackets', '', '['.repeat(30_000)),
  'body-emphasis.md': lens('body-emphasis', '', '*a _b '.repeat(10_000)),
  'body-backticks.md': lens('body-backticks', '', '`'.repeat(30_000)),
  'body-unclosed-comment.md': lens('body-unclosed-comment', '', `<!-- ${'hidden '.repeat(8_000)}`),
  'body-escapes.md': lens('body-escapes', '', '- Look \u001b]0;owned\u0007 \u001b[2J \u202e here \u{E0041}\u{E0042} \uFE01\uFE02.\n'),
  'too-big.md': lens('too-big', '', 'x'.repeat(5_000_000)),
  'binary.md': new Uint8Array([0x2d, 0x2d, 0x2d, 0x0a, 0x00, 0x01, 0x02]),
  'not-utf8.md': new Uint8Array([...new TextEncoder().encode('---\nkind: lens\nname: x'), 0xff, 0xfe, 0x0a]),
  'name\u001b[31mred.md': '# A file name with an escape sequence, and no frontmatter\n',
};
for (const [name, content] of Object.entries(corpus)) writeFileSync(join(templates, name), content);
// Special files: never opened, only named.
execFileSync('mkfifo', [join(templates, 'fifo.md')]);
symlinkSync('/dev/zero', join(templates, 'zero.md'));
mkdirSync(join(templates, 'folder.md'));
symlinkSync(join(templates, 'nowhere'), join(templates, 'broken-link.md'));
symlinkSync(templates, join(templates, 'loop'));

/** Context packs with the same kinds of trouble. */
const packs: Record<string, string> = {
  'deep.json': `{"goal": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
  'deep.yaml': `goal: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`,
  'deep-block.yaml': `goal:\n${'- '.repeat(50_000)}x\n`,
  'laughs.yaml': `${laughs}goal: *a9\n`,
  'alias.yaml': 'goal: *nowhere\n',
  'huge.md': `## Goal\n\n${'x'.repeat(5_000_000)}\n`,
  'sections.md': `## Goal\n${sections(120_000)}`,
  'prose.md': `## Goal\n\n${'word '.repeat(200_000)}\n`,
  'quotes.md': `## Goal\n\n${'> '.repeat(50_000)}x\n`,
  'escapes.md': '## Goal\n\nShip it \u001b[2J now.\n',
  'bom-crlf.md': '\ufeff## Goal\r\n\r\nShip the fix by Friday\r\n',
};
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
    const valid = ['fm-bom-crlf.md', 'fm-huge-scalar.md', 'body-sections.md', 'body-long-line.md', 'body-brackets.md', 'body-emphasis.md', 'body-backticks.md'];
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

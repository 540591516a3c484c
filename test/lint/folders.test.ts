import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeTree } from '../support/files.js';
import { runCli, runMain } from '../support/cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'orch-lint-folders-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const tone = '---\nkind: lens\nname: tone\ntitle: Tone\ndescription: Is the voice right?\n---\n\n- Words that talk down to the reader (jargon, "simply", "obviously").\n';
const broken = '---\nkind: lens\nname: [\n---\n';

let count = 0;
const folder = (files: Record<string, string>): string => writeTree(join(scratch, `f${++count}`), files);

interface Report {
  files: Array<{ file: string; findings: Array<{ ruleId: string; severity: string; message: string }> }>;
}

function lintJson(args: string[], cwd: string): { code: number; report: Report; stderr: string } {
  const result = runCli(['lint', '--format', 'json', ...args], { cwd, timeoutMs: 60_000 });
  return { code: result.code, report: JSON.parse(result.stdout) as Report, stderr: result.stderr };
}

const summary = (report: Report): string[] => report.files.map((f) => `${f.file}: ${f.findings.map((x) => `${x.ruleId} ${x.severity}`).join(', ') || 'clean'}`);

describe('lint walks folders like every other command', { timeout: 60_000 }, () => {
  it('.git/, node_modules/ and dot-folders are not linted; `.MD` and symlinked templates are', () => {
    const outside = folder({ 'tone.md': tone.replace(/tone/g, 'voice').replace('Tone', 'Voice') });
    const dir = folder({ 'loud.MD': tone.replace(/tone/g, 'loud').replace('Tone', 'Loud'), '.git/x.md': broken, 'node_modules/pkg/y.md': broken, '.cache/z.md': broken });
    symlinkSync(join(outside, 'tone.md'), join(dir, 'voice.md'));
    const { code, report } = lintJson(['.'], dir);
    expect(summary(report)).toEqual(['loud.MD: clean', 'voice.md: clean']);
    expect(code).toBe(0);
  });

  it('a FIFO or a link to /dev/zero named like a template is a finding, never opened; the rest is linted', () => {
    const dir = folder({ 'tone.md': tone });
    execFileSync('mkfifo', [join(dir, 'pipe.md')]);
    symlinkSync('/dev/zero', join(dir, 'zero.md'));
    const { code, report } = lintJson(['.'], dir);
    expect(summary(report)).toEqual(['tone.md: clean', 'pipe.md: file-error error', 'zero.md: file-error error']);
    expect(report.files[1]?.findings[0]?.message).toBe('skipped, not a regular file');
    expect(code).toBe(1);
    // Named on the command line, the same files are refused without reading them.
    const direct = lintJson(['pipe.md', '/dev/zero'], dir);
    expect(direct.report.files.map((f) => [f.file, f.findings[0]?.message])).toEqual([
      ['pipe.md', 'cannot read the file: it is a FIFO (named pipe), expected a regular file'],
      ['/dev/zero', 'cannot read the file: it is a device, expected a regular file'],
    ]);
  });

  it('one bad file among many: every other file still gets its findings', () => {
    const dir = folder({ 'a.md': tone.replace(/tone/g, 'a'), 'b.md': `${tone.replace(/tone/g, 'b')}\n${'> '.repeat(3000)}x\n`, 'c.md': '\u0000binary', 'd.md': tone.replace(/tone/g, 'd').replace('talk down', 'TBD') });
    const { report } = lintJson(['.'], dir);
    expect(summary(report)).toEqual(['a.md: clean', 'b.md: file-error error', 'c.md: file-error error', 'd.md: todo-placeholder error']);
  });

  it('`lint SKILL.md` lints the skill folder without walking node_modules', () => {
    const skill = readFileSync(join(import.meta.dirname, '../fixtures/skill/valid/demo-skill/SKILL.md'), 'utf8');
    const dir = folder({ 'SKILL.md': skill.replace(/^name: .*$/m, `name: f${count + 1}`), 'node_modules/pkg/README.md': '[gone](../../missing.md)\n', '.git/notes.md': '[gone](missing.md)\n' });
    symlinkSync(dir, join(dir, 'node_modules/pkg/loop'));
    const result = lintSkillFile(dir);
    expect(result.files.map((f) => f.file)).toEqual(['SKILL.md']);
  });
});

function lintSkillFile(dir: string): Report {
  const result = runCli(['lint', 'SKILL.md', '--format', 'json'], { cwd: dir, timeoutMs: 60_000 });
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as Report;
}

describe('lint speed does not depend on the shape of a file', () => {
  // Before the parser fix, each of these sections copied every event parsed so far: 3,000 took
  // about half a minute. The test timeout catches a return of that.
  it('a template with 3,000 heading + list sections', { timeout: 30_000 }, async () => {
    const head = '---\nkind: lens\nname: many\ntitle: Many\ndescription: Many sections.\n---\n';
    const dir = folder({ 'many.md': head + Array.from({ length: 3000 }, (_, i) => `\n### Part ${i}\n\n- Look for \`x${i}\`.\n`).join('') });
    const result = await runMain(['lint', '.', '--format', 'json'], { cwd: dir });
    expect((JSON.parse(result.stdout) as Report).files.map((f) => f.file)).toEqual(['many.md']);
  });
});

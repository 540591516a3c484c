import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isUserError } from '../../src/errors/index.js';
import { renderPrompt } from '../../src/prompt/render.js';
import { loadTemplates } from '../../src/templates/load.js';
import { writeTree } from '../support/files.js';

const scratch = mkdtempSync(join(tmpdir(), 'orch-load-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const builtins = join(import.meta.dirname, '../../templates');
const reviewer = readFileSync(join(builtins, 'roles/reviewer.md'), 'utf8');
const risks = readFileSync(join(builtins, 'lenses/risks.md'), 'utf8');
const preamble = readFileSync(join(builtins, 'preamble.md'), 'utf8');

const tone = '---\nkind: lens\nname: tone\ntitle: Tone\ndescription: Is the voice right?\n---\n\n- Words that talk down to the reader.\n';
// A small valid role (the ok fixture of a lint rule).
const auditor = readFileSync(join(import.meta.dirname, '../fixtures/lint/rules/duplicate-template/ok/auditor.md'), 'utf8');

let count = 0;
const folder = (files: Record<string, string>): string => writeTree(join(scratch, `t${++count}`), files);

function errorOf(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

declare global {
  var orchTemplateRan: boolean | undefined;
}

describe('one bad file never stops the others', () => {
  it('a `---js` template is a problem, never run; the rest loads', () => {
    globalThis.orchTemplateRan = undefined;
    const dir = folder({ 'x.md': "---js\nglobalThis.orchTemplateRan = true; module.exports = { kind: 'role', name: 'x' }\n---\n", 'lenses/tone.md': tone });
    const set = loadTemplates([dir], { cwd: dir });
    expect(globalThis.orchTemplateRan).toBeUndefined();
    expect(set.problems).toEqual([{ source: 'x.md', message: 'x.md:1:4: frontmatter: the opening fence `---js` names a language, expected a line `---` alone: only YAML frontmatter is read; the file is skipped' }]);
    expect(Object.keys(set.lenses)).toContain('tone');
    // Asking for `x` then names the file rather than saying there is no such role.
    expect(errorOf(() => renderPrompt('x', { templates: set })).message).toBe(
      'no role or lens `x` could be loaded: x.md:1:4: frontmatter: the opening fence `---js` names a language, expected a line `---` alone: only YAML frontmatter is read',
    );
  });

  it('a file whose frontmatter is wrong but still names its role makes that role unusable, naming the file', () => {
    const dir = folder({ 'roles/auditor.md': auditor.replace('description: Audits an artefact.', 'description: Audits an artefact.\ncolour: blue'), 'lenses/tone.md': tone });
    const set = loadTemplates([dir], { cwd: dir });
    expect(set.roles['auditor']).toBeUndefined();
    expect(set.problems.map((p) => p.message)).toEqual(['roles/auditor.md:2:1: unknown key `colour` in frontmatter; role `auditor` cannot be used until it is fixed']);
    const error = errorOf(() => renderPrompt('auditor', { templates: set, params: { target: 'x' } }));
    expect(isUserError(error, 'template-unusable')).toBe(true);
    expect(error.message).toBe('role `auditor` cannot be used: roles/auditor.md:2:1: unknown key `colour` in frontmatter');
    // Everything else works.
    expect(renderPrompt('reviewer', { templates: set, params: { artefact: 'a' }, lenses: ['tone'] }).prompt).toContain('LENS: tone (Tone)');
  });

  it('a body is parsed when a prompt first needs it: a broken one fails then, naming the file', () => {
    const dir = folder({ 'roles/auditor.md': auditor.replace(/## Output[^]*?(?=## Don't)/, ''), 'lenses/deep.md': `${tone.replace(/tone/g, 'deep')}\n${'> '.repeat(3000)}x\n` });
    const set = loadTemplates([dir], { cwd: dir });
    expect(set.problems).toEqual([]);
    expect(set.roles['auditor']?.description).toBe('Audits an artefact.');
    const role = errorOf(() => renderPrompt('auditor', { templates: set, params: { target: 'x' } }));
    expect([isUserError(role, 'template-invalid'), role.message]).toEqual([true, "roles/auditor.md:1:1: role has no `## Output` section (or it is empty)"]);
    const lens = errorOf(() => renderPrompt('reviewer', { templates: set, params: { artefact: 'a' }, lenses: ['deep'] }));
    expect(lens.message).toMatch(/^lenses\/deep\.md:10:1: nesting too deep/);
    expect(renderPrompt('reviewer', { templates: set, params: { artefact: 'a' }, lenses: ['risks'] }).lenses).toEqual(['risks']);
  });

  it('a broken lens that meant to replace a built-in takes the built-in and its aliases with it', () => {
    const dir = folder({ 'lenses/risks.md': risks.replace(/^title: .*\n/m, '') });
    const set = loadTemplates([dir], { cwd: dir });
    for (const name of ['risks', 'failure-modes']) {
      const error = errorOf(() => renderPrompt('reviewer', { templates: set, params: { artefact: 'a' }, lenses: [name] }));
      expect(error.message, name).toBe('lens `risks` cannot be used: lenses/risks.md:2:1: frontmatter is missing the key `title`');
    }
    expect(renderPrompt('reviewer', { templates: set, params: { artefact: 'a' }, lenses: ['security'] }).lenses).toEqual(['security']);
  });

  it('a broken preamble makes every prompt fail with its file; loading still works', () => {
    const dir = folder({ 'preamble.md': preamble.replace('description:', 'colour: blue\ndescription:') });
    const set = loadTemplates([dir], { cwd: dir });
    expect(errorOf(() => renderPrompt('reviewer', { templates: set, params: { artefact: 'a' }, lenses: ['risks'] })).message).toBe('the preamble cannot be used: preamble.md:2:1: unknown key `colour` in frontmatter');
  });

  it('limits: size, nesting, aliases, binary bytes, a folder named like a template', () => {
    const dir = folder({
      'big.md': `${auditor}\n${'x'.repeat(140_000)}\n`,
      'deep.md': auditor.replace('name: auditor', `name: auditor\nx: ${'['.repeat(300)}${']'.repeat(300)}`),
      'bomb.md': auditor.replace('description: Audits an artefact.', `description: Audits.\nx: &a [a, a, a, a, a, a, a, a, a]\n${Array.from({ length: 8 }, (_, i) => `x${i}: &a${i} [${Array(9).fill(i === 0 ? '*a' : `*a${i - 1}`).join(', ')}]`).join('\n')}`),
      'alias.md': auditor.replace('name: auditor', 'name: *who'),
      'binary.md': 'abc\u0000def',
      'lenses/tone.md': tone,
    });
    mkdirSync(join(dir, 'folder.md'));
    const set = loadTemplates([dir], { cwd: dir });
    const messages = set.problems.map((p) => p.message).sort();
    expect(messages).toEqual([
      'alias.md:3:7: frontmatter: frontmatter uses the alias `*who` without an anchor `&who` before it, expected the anchor first; the file is skipped',
      expect.stringMatching(/^big\.md: it is .*, over the 128 KB a template may have; the file is skipped$/),
      'binary.md: binary file (it holds NUL bytes), expected text; the file is skipped',
      expect.stringMatching(/^bomb\.md:2:1: frontmatter: frontmatter expands YAML aliases more than \d+ times, expected plain values; the file is skipped$/),
      'deep.md:4:260: frontmatter: frontmatter nests too deep (over 256 levels), expected a few levels at most; the file is skipped',
    ]);
    expect(Object.keys(set.lenses)).toContain('tone');
  });
});

describe('overrides and duplicates', () => {
  it('a project template that replaces a built-in is listed, and says when it widens the role', () => {
    const dir = folder({
      'roles/reviewer.md': reviewer.replace('scope: read-only', 'scope: may edit {{artefact}}').replace('edits: false', 'edits: true\nweb-search: live'),
      'roles/researcher.md': readFileSync(join(builtins, 'roles/researcher.md'), 'utf8').replace('web-search: live', 'web-search: cached'),
      'lenses/risks.md': risks,
    });
    const set = loadTemplates([dir], { cwd: dir });
    expect(set.overrides).toEqual([
      { kind: 'lens', name: 'risks', source: 'lenses/risks.md', replaces: expect.stringMatching(/templates\/lenses\/risks\.md$/) },
      // Less than the built-in (cached search where it had live) is no widening.
      { kind: 'role', name: 'researcher', source: 'roles/researcher.md', replaces: expect.stringMatching(/templates\/roles\/researcher\.md$/) },
      { kind: 'role', name: 'reviewer', source: 'roles/reviewer.md', replaces: expect.stringMatching(/templates\/roles\/reviewer\.md$/), widens: 'edit files and search the live web' },
    ]);
  });

  it('two files of one folder defining one role: an error naming both; across folders an override', () => {
    const dir = folder({ 'roles/auditor.md': auditor, 'auditor.md': auditor.replace('Audits an artefact.', 'Audits again.') });
    const set = loadTemplates([dir], { cwd: dir });
    const message = 'role `auditor` is defined by 2 files of one folder, `auditor.md` and `roles/auditor.md`, expected one: remove or rename all but one';
    expect(errorOf(() => renderPrompt('auditor', { templates: set, params: { target: 'x' } })).message).toBe(message);
    expect(set.problems).toEqual([{ source: 'auditor.md', message: `auditor.md: ${message}`, kind: 'role', name: 'auditor' }]);

    const first = folder({ 'auditor.md': auditor });
    const second = folder({ 'auditor.md': auditor.replace('Audits an artefact.', 'Audits again.') });
    const layered = loadTemplates([first, second], { cwd: scratch });
    expect(layered.roles['auditor']?.description).toBe('Audits again.');
    expect(layered.overrides.map((o) => [o.source, o.replaces])).toEqual([[`${second.slice(scratch.length + 1)}/auditor.md`, `${first.slice(scratch.length + 1)}/auditor.md`]]);
    expect(layered.problems).toEqual([]);
  });
});

describe('what the loader reads', () => {
  it('`.MD` and symlinked templates load; `.git/`, `node_modules/` and dot-folders do not', () => {
    const outside = folder({ 'tone.md': tone });
    const dir = folder({ 'roles/AUDITOR.MD': auditor, '.git/x.md': '---js\n---\n', 'node_modules/y/z.md': '---js\n---\n', '.hidden/w.md': '---js\n---\n' });
    symlinkSync(join(outside, 'tone.md'), join(dir, 'tone.md'));
    const set = loadTemplates([dir], { cwd: dir });
    expect(set.problems).toEqual([]);
    expect(set.roles['auditor']?.source).toBe('roles/AUDITOR.MD');
    expect(set.lenses['tone']?.source).toBe('tone.md');
  });

  it('a FIFO named like a template is never opened (the load does not block)', () => {
    const dir = folder({ 'lenses/tone.md': tone });
    execFileSync('mkfifo', [join(dir, 'pipe.md')]);
    symlinkSync('/dev/zero', join(dir, 'zero.md'));
    const set = loadTemplates([dir], { cwd: dir });
    expect(set.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/pipe\.md: skipped, not a regular file$/),
      expect.stringMatching(/zero\.md: skipped, not a regular file$/),
    ]);
    expect(Object.keys(set.lenses)).toContain('tone');
  });

  it('a missing folder is a problem, not an exception', () => {
    const set = loadTemplates([join(scratch, 'no-such-folder')]);
    expect(set.problems.map((p) => p.message)).toEqual([`${join(scratch, 'no-such-folder')}: templates folder does not exist`]);
    expect(Object.keys(set.roles)).toContain('reviewer');
  });

  it('strict: the first problem is thrown', () => {
    expect(isUserError(errorOf(() => loadTemplates([join(scratch, 'no-such-folder')], { strict: true })), 'template-invalid')).toBe(true);
  });

  it('CR LF and a byte-order mark: the same templates, no `\\r` in a prompt', () => {
    const lf = loadTemplates([folder({ 'auditor.md': auditor })]);
    const crlf = loadTemplates([folder({ 'auditor.md': `\ufeff${auditor.replace(/\n/g, '\r\n')}` })]);
    const render = (set: typeof lf): string => renderPrompt('auditor', { templates: set, params: { target: 'x' } }).prompt;
    expect(render(crlf)).toBe(render(lf));
    expect(render(crlf)).not.toContain('\r');
  });

  it('lint directives never reach a prompt', () => {
    const withDirectives = auditor
      .replace('- Read the files.', '- Read the files. <!-- orch-prompt-lint-disable todo-placeholder -->\n\n<!-- orch-prompt-lint-disable unused-parameter -->')
      .replace('## Output', '<!--\norch-prompt-lint-disable\nhidden-content\n-->\n\n## Output');
    const prompt = renderPrompt('auditor', { templates: loadTemplates([folder({ 'auditor.md': withDirectives })]), params: { target: 'x' } }).prompt;
    expect(prompt).not.toContain('orch-prompt-lint-disable');
    expect(prompt).not.toContain('<!--');
    expect(prompt).toContain('- Read the files.\n');
  });

  it('a preamble that does not start with `CONTEXT: WORKER` is refused, naming the file', () => {
    const set = loadTemplates([folder({ 'preamble.md': preamble.replace('CONTEXT: WORKER\n\n', '') })]);
    const error = errorOf(() => renderPrompt('reviewer', { templates: set, params: { artefact: 'a' }, lenses: ['risks'] }));
    expect(isUserError(error, 'template-invalid')).toBe(true);
    expect(error.message).toMatch(/preamble\.md:7:1: the preamble must start with the line `CONTEXT: WORKER`/);
    // A set built by hand cannot skip the guard either.
    const base = loadTemplates();
    const handmade = { ...base, preamble: { ...base.preamble, body: { type: 'root' as const, children: base.preamble.body.children.slice(1) } } };
    expect(isUserError(errorOf(() => renderPrompt('reviewer', { templates: handmade, params: { artefact: 'a' }, lenses: ['risks'] })), 'template-invalid')).toBe(true);
  });
});

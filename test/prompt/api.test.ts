import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, onTestFinished, test } from 'vitest';
import * as api from '../../src/index.js';

test('the library renders a prompt from built-in templates', () => {
  const result = api.renderPrompt('reviewer', { params: { artefact: 'src/' }, lenses: ['risks'] });
  expect(result.prompt.startsWith('CONTEXT: WORKER\n')).toBe(true);
  expect(result).toMatchObject({ role: 'reviewer', lenses: ['risks'], scope: 'read-only', edits: false, warnings: [] });
});

test('loadTemplates layers a project folder over the built-ins', () => {
  const dir = mkdtempSync(join(tmpdir(), 'orch-api-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'lenses'));
  writeFileSync(join(dir, 'lenses/tone.md'), '---\nkind: lens\nname: tone\ntitle: Tone\ndescription: Is the voice right?\n---\n\n- Words that talk down to the reader.\n');
  const templates = api.loadTemplates([dir]);
  expect(Object.keys(templates.lenses)).toContain('tone');
  expect(Object.keys(templates.lenses)).toContain('risks');
  const result = api.renderPrompt('reviewer', { templates, params: { artefact: 'a' }, lenses: ['tone'] });
  expect(result.prompt).toContain('LENS: tone (Tone)\n\n- Words that talk down to the reader.');
});

test('errors are typed: a UserError carries a stable code and its exit status', () => {
  try {
    api.renderPrompt('reviewer', { params: {} , lenses: ['risks'] });
    expect.unreachable();
  } catch (error) {
    expect(api.isUserError(error, 'missing-parameter')).toBe(true);
    expect((error as InstanceType<typeof api.UserError>).exitCode).toBe(api.errorCatalog['missing-parameter'].exit);
  }
});

test('the published entry point (dist/lib) loads with plain node and renders the same prompt', () => {
  const root = join(import.meta.dirname, '../..');
  const script = "const m = await import('codex-orchestration'); process.stdout.write(m.renderPrompt('reviewer', { params: { artefact: 'src/' }, lenses: ['risks'] }).prompt)";
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  expect(out).toBe(api.renderPrompt('reviewer', { params: { artefact: 'src/' }, lenses: ['risks'] }).prompt);
});

test('the README library example runs as written, with and without .orch/templates', () => {
  const root = join(import.meta.dirname, '../..');
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const example = /## Library\n\n```ts\n([^]*?)```/.exec(readme)?.[1];
  expect(example).toContain("loadTemplates(['.orch/templates'])");
  const dir = mkdtempSync(join(tmpdir(), 'orch-readme-'));
  try {
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(root, join(dir, 'node_modules/codex-orchestration'));
    // The example as written, then a line that shows what it produced.
    writeFileSync(join(dir, 'example.mjs'), `${example}\nprocess.stdout.write(JSON.stringify({ prompt, warnings, overrides: templates.overrides }));\n`);
    const run = (): { stdout: string; stderr: string } => {
      const result = spawnSync(process.execPath, ['example.mjs'], { cwd: dir, encoding: 'utf8' });
      expect(result.status, result.stderr).toBe(0);
      return result;
    };
    const bare = run();
    expect(bare.stderr).toBe('.orch/templates: templates folder does not exist\n');
    expect((JSON.parse(bare.stdout) as { prompt: string }).prompt).toContain('- Goal: No stack traces for usage errors');
    mkdirSync(join(dir, '.orch/templates/lenses'), { recursive: true });
    writeFileSync(join(dir, '.orch/templates/lenses/risks.md'), '---\nkind: lens\nname: risks\ntitle: Project risks\ndescription: What breaks here.\n---\n\n- The ledger.\n');
    const project = run();
    expect(project.stderr).toBe('');
    const view = JSON.parse(project.stdout) as { prompt: string; overrides: Array<{ source: string }> };
    expect(view.prompt).toContain('LENS: risks (Project risks)');
    expect(view.overrides.map((o) => o.source)).toEqual(['.orch/templates/lenses/risks.md']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

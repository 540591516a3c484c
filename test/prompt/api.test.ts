import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
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

test('errors are typed: PromptError carries a stable code', () => {
  try {
    api.renderPrompt('reviewer', { params: {} , lenses: ['risks'] });
    expect.unreachable();
  } catch (error) {
    expect(error).toBeInstanceOf(api.PromptError);
    expect((error as InstanceType<typeof api.PromptError>).code).toBe('missing-parameter');
  }
});

test('the published entry point (dist/lib) loads with plain node and renders the same prompt', () => {
  const root = join(import.meta.dirname, '../..');
  const script = "const m = await import('codex-orchestration'); process.stdout.write(m.renderPrompt('reviewer', { params: { artefact: 'src/' }, lenses: ['risks'] }).prompt)";
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  expect(out).toBe(api.renderPrompt('reviewer', { params: { artefact: 'src/' }, lenses: ['risks'] }).prompt);
});

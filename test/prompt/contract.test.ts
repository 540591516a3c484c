import { Ajv } from 'ajv';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { lintTemplateFiles } from '../../src/lint/lint-templates.js';
import { renderPrompt } from '../../src/prompt/render.js';
import { builtinTemplates } from '../../src/templates/builtin-set.js';

// The contract every built-in role follows (docs/templates.md, "The contract every role
// follows"), checked where a user meets it: the rendered prompt and the --structured schema.

const templates = builtinTemplates();
const lensNames = Object.keys(templates.lenses).sort();

test('a reviewer with two lenses stays under 1,600 tokens, whichever two', () => {
  let worst = { tokens: 0, lenses: [] as string[] };
  for (const [i, a] of lensNames.entries()) {
    for (const b of lensNames.slice(i + 1)) {
      const { size } = renderPrompt('reviewer', { params: { artefact: 'the diff of main...HEAD under src/run/' }, lenses: [a, b] });
      if (size.tokens > worst.tokens) worst = { tokens: size.tokens, lenses: [a, b] };
    }
  }
  expect(worst.tokens, `reviewer --lens ${worst.lenses.join(' --lens ')}`).toBeLessThan(1600);
});

test('every role that rates severity defines each level of its scale in its own prompt', () => {
  const rating = Object.values(templates.roles).filter((role) => JSON.stringify(role.outputSchema ?? {}).includes('"severity"'));
  expect(rating.map((role) => role.name).sort()).toEqual(['reviewer', 'synthesizer', 'verifier']);
  for (const role of rating) {
    const params = Object.fromEntries(role.parameters.filter((p) => p.required).map((p) => [p.name, 'src/']));
    const { prompt } = renderPrompt(role.name, { params, lenses: role.lenses.mode === 'required' ? ['risks'] : [] });
    for (const level of ['critical', 'high', 'medium', 'low']) expect(prompt, `${role.name} defines ${level}`).toMatch(new RegExp(`\\b${level} \\([a-z]`));
  }
});

test('the built-in templates pass every lint rule, output-schema-strict included', () => {
  const files = ['templates', 'templates/roles', 'templates/lenses'].flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.md'))
      .map((f) => join(dir, f)),
  );
  const findings = lintTemplateFiles(files).flatMap((r) => r.findings.map((f) => `${r.file}:${f.place.line} ${f.ruleId}: ${f.message}`));
  expect(findings).toEqual([]);
});

function validator(role: string) {
  const schema = templates.roles[role]?.outputSchema;
  expect(schema, `${role} declares an output schema`).toBeDefined();
  return new Ajv({ strict: false }).compile(schema as object);
}

test('a two-lens reviewer says which lens found each finding, and where test gaps and residual risks go', () => {
  const valid = validator('reviewer');
  const finding = { severity: 'high', lens: 'security', title: 'Shell injection', location: 'src/run.ts:4', evidence: 'seen', fix: 'use an argument array' };
  expect(valid({ summary: 'risks: No findings. security: one.', findings: [finding], residual_risks: ['no test for Ctrl-C'] })).toBe(true);
  const { lens: _lens, ...withoutLens } = finding;
  expect(valid({ summary: 's', findings: [withoutLens], residual_risks: [] })).toBe(false);
  expect(valid({ summary: 's', findings: [] })).toBe(false);
});

test('the verifier can say it could not check, apart from a failure', () => {
  const valid = validator('verifier');
  const checks = [{ name: 'npm test', result: 'skipped', detail: 'no network in the sandbox' }];
  expect(valid({ verdict: 'inconclusive', summary: 'could not run the tests', checks, issues: [] })).toBe(true);
  expect(valid({ verdict: 'unknown', summary: 's', checks, issues: [] })).toBe(false);
  const issue = { severity: 'low', lens: null, title: 'Docs stale', location: 'README.md', evidence: 'seen', fix: 'update' };
  expect(valid({ verdict: 'fail', summary: 's', checks, issues: [issue] })).toBe(true);
  const { prompt } = renderPrompt('verifier', { params: { artefact: 'src/' } });
  expect(prompt).toContain('inconclusive when none failed but at least one could not be checked');
});

test('a reviewer of a change reports only what the change introduced, and goes through all of it', () => {
  const { prompt } = renderPrompt('reviewer', { params: { artefact: 'git diff main...HEAD' }, lenses: ['correctness'] });
  expect(prompt).toContain('report only problems the change introduces; pre-existing ones get one line each in the summary');
  expect(prompt).toContain('Go through all of it and report every real problem');
  expect(prompt).not.toMatch(/findings that matter most/);
  expect(prompt).toContain('`No findings.`');
});

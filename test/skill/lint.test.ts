import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintSkillDir } from '../../src/lint/skill/skill-lint.js';
import { skillRules } from '../../src/lint/skill/skill-rules.js';
import { compileSkill } from '../../src/skill/compile.js';
import { lintSkillFiles } from '../../src/skill/validate.js';
import { runMain } from '../support/cli.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'skill');
const cases = readdirSync(fixtures).filter((name) => readdirSync(join(fixtures, name)).includes('expected.txt'));

/** `folder/file:line:column rule-id`, one per finding, as in each case's expected.txt. */
function findingsOf(dir: string): string[] {
  const folder = dir.slice(dir.lastIndexOf('/') + 1);
  return lintSkillDir(dir).flatMap(({ file, findings }) =>
    findings.map((f) => `${file === '' ? folder : `${folder}/${file}`}:${f.place.line}:${f.place.column} ${f.ruleId}`),
  );
}

describe('skill lint rules', () => {
  it.each(cases)('%s: rule ids and positions match expected.txt', (name) => {
    const caseDir = join(fixtures, name);
    const skill = readdirSync(caseDir, { withFileTypes: true }).find((e) => e.isDirectory())?.name as string;
    const expected = readFileSync(join(caseDir, 'expected.txt'), 'utf8').split('\n').filter(Boolean);
    expect(findingsOf(join(caseDir, skill))).toEqual(expected);
  });

  it('has cases that fail and one that passes, so the table cannot be vacuous', () => {
    expect(cases).toContain('valid');
    expect(cases.length).toBeGreaterThan(5);
  });

  it('passes the compiled skill', () => {
    const folder = compileSkill();
    expect(lintSkillFiles(folder.name, folder.files).flatMap((r) => r.findings)).toEqual([]);
  });
});

describe('orch-prompt lint on a skill', () => {
  it('claims a skill folder or its SKILL.md, reports id and position, exits 1', async () => {
    const skill = join(fixtures, 'invalid', 'bad_skill');
    const result = await runMain(['lint', join(skill, 'SKILL.md')], { cwd: join(fixtures, 'invalid') });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('bad_skill/SKILL.md');
    expect(result.stdout).toMatch(/3:14 +error +`description` contains `<`, expected no angle brackets .* +skill-description/);
    expect(result.stdout).toMatch(/5:15 +error +`interface\.icon_small` is `\.\/icon\.png`, expected a relative path under `assets\/` +skill-openai-yaml/);
  });

  it('exits 0 on a valid skill folder', async () => {
    const result = await runMain(['lint', join(fixtures, 'valid', 'demo-skill')]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('--rule turns a skill rule off', async () => {
    const dir = join(fixtures, 'long-description', 'long-description');
    expect((await runMain(['lint', dir])).code).toBe(1);
    expect((await runMain(['lint', dir, '--rule', 'skill-description=off'])).code).toBe(0);
  });
});

describe('skill rule documentation', () => {
  const docs = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'lint-rules.md'), 'utf8');
  it.each(skillRules.map((rule) => [rule.id, rule] as const))('%s has a documented section with ok and not-ok examples', (id, rule) => {
    const section = docs.split(/^## (?=`)/m).find((part) => part.startsWith(`\`${id}\``));
    expect(section, `docs/lint-rules.md has a "## \`${id}\`" section`).toBeDefined();
    expect(section).toMatch(/^\*\*Ok\*\*/m);
    expect(section).toMatch(/^\*\*Not ok\*\*/m);
    expect(rule.url).toBe(`docs/lint-rules.md#${id}`);
  });
});

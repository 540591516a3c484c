import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintSkillDir } from '../../src/lint/skill/skill-lint.js';
import { skillRules } from '../../src/lint/skill/skill-rules.js';

// The skill rules that check what the skill ecosystem asks for (issue 13), each with an `ok/` and
// a `not-ok/` folder of skill folders. `ok/` must lint clean under every rule; `not-ok/expected.txt`
// lists exactly what the rule itself reports: `<skill folder>[/<file>]:line:column messageId`.
const fixtures = join(import.meta.dirname, '..', 'fixtures', 'skill-rules');
const ruleIds = readdirSync(fixtures).sort();

/** Skill folders below `dir` (folders holding a `SKILL.md`), hidden folders skipped. */
function skillFolders(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (existsSync(join(path, 'SKILL.md'))) out.push(path);
    else out.push(...skillFolders(path));
  }
  return out.sort();
}

describe.each(ruleIds)('%s', (id) => {
  it('is a skill rule', () => {
    expect(skillRules.map((rule) => rule.id)).toContain(id);
  });

  it('finds nothing at all in its ok fixtures', () => {
    const folders = skillFolders(join(fixtures, id, 'ok'));
    expect(folders.length).toBeGreaterThan(0);
    const found = folders.flatMap((dir) =>
      lintSkillDir(dir).flatMap(({ file, findings }) => findings.map((f) => `${relative(fixtures, dir)}/${file}:${f.place.line}:${f.place.column} ${f.ruleId} ${f.message}`)),
    );
    expect(found).toEqual([]);
  });

  it('reports exactly the expected places in its not-ok fixtures', () => {
    const base = join(fixtures, id, 'not-ok');
    const expected = readFileSync(join(base, 'expected.txt'), 'utf8').split('\n').filter(Boolean);
    const results = skillFolders(base).map((dir) => ({ dir, results: lintSkillDir(dir) }));
    const actual = results.flatMap(({ dir, results: files }) =>
      files.flatMap(({ file, findings }) =>
        findings.filter((f) => f.ruleId === id).map((f) => `${relative(base, dir)}${file === '' ? '' : `/${file}`}:${f.place.line}:${f.place.column} ${f.messageId}`),
      ),
    );
    expect(actual.sort()).toEqual(expected.sort());
    for (const finding of results.flatMap((r) => r.results.flatMap((f) => f.findings)).filter((f) => f.ruleId === id)) {
      expect(finding.message).toMatch(/expected/);
      expect(finding.message, 'no unfilled {placeholder} in the message').not.toMatch(/\{[a-zA-Z]+\}/);
    }
  });
});

it('every skill rule added for the ecosystem checks has fixtures', () => {
  const covered = ['skill-description-when', 'skill-entry-length', 'skill-references', 'skill-reference-toc', 'skill-extra-docs', 'skill-symlinks', 'skill-plugin-ancestor'];
  expect(ruleIds).toEqual(expect.arrayContaining(covered));
});

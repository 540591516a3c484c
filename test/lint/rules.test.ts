import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintTemplateFiles } from '../../src/lint/lint-templates.js';
import { templateRules } from '../../src/lint/rules/index.js';
import { expectDocumented } from './rule-docs.js';

const fixtures = 'test/fixtures/lint/rules';
const docs = readFileSync('docs/lint-rules.md', 'utf8');

function markdownIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.md'))
    .sort()
    .map((file) => join(dir, file));
}

describe.each(templateRules.map((rule) => [rule.id, rule] as const))('%s', (id, rule) => {
  it('has ok and not-ok fixtures and a documented section with both examples', () => {
    expect(existsSync(join(fixtures, id, 'ok'))).toBe(true);
    expect(existsSync(join(fixtures, id, 'not-ok', 'expected.json'))).toBe(true);
    expectDocumented(id, rule);
  });

  it('finds nothing at all in its ok fixtures', () => {
    const results = lintTemplateFiles(markdownIn(join(fixtures, id, 'ok')));
    expect(results.flatMap((r) => r.findings.map((f) => `${r.file}:${f.place.line}:${f.place.column} ${f.ruleId}: ${f.message}`))).toEqual([]);
  });

  it('reports exactly the expected places in its not-ok fixtures', () => {
    const dir = join(fixtures, id, 'not-ok');
    const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Record<string, unknown>;
    const results = lintTemplateFiles(markdownIn(dir), { display: (path) => path.slice(dir.length + 1) });
    const actual = Object.fromEntries(
      results.map((r) => [
        r.file,
        r.findings.filter((f) => f.ruleId === id).map((f) => ({ line: f.place.line, column: f.place.column, messageId: f.messageId })),
      ]),
    );
    expect(actual).toEqual(expected);
    // Every finding says what it found and what it expected, and links to the docs.
    for (const finding of results.flatMap((r) => r.findings).filter((f) => f.ruleId === id)) {
      expect(finding.message).toMatch(/expected|must/);
      expect(finding.message, 'no unfilled {placeholder} in the message').not.toMatch(/(?<!\{)\{[a-zA-Z]+\}(?!\})/);
      expect(finding.severity).toBe(rule.severity === 'warn' ? 'warning' : 'error');
    }
  });
});

it('documents every rule that exists, and no other', () => {
  const documented = [...docs.matchAll(/^## `([a-z-]+)`/gm)].map((m) => m[1]);
  const skill = documented.filter((id) => id?.startsWith('skill-') || id?.startsWith('agent-'));
  expect(documented.filter((id) => !skill.includes(id) && id !== 'file-error')).toEqual(templateRules.map((r) => r.id));
});

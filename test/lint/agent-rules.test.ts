import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { agentPathsIn, lintAgentFiles } from '../../src/lint/agent/agent-lint.js';
import { agentFilesIn } from '../../src/lint/agent/agent-layer.js';
import { agentRules } from '../../src/lint/agent/agent-rules.js';
import { expectDocumented } from './rule-docs.js';

// Each agent rule has an `ok/` and a `not-ok/` folder laid out as Codex reads them: a Codex home
// (`config.toml`, `agents/`), or a project (`project/.codex/agents/`). `ok/` lints clean under
// every rule; `not-ok/expected.txt` lists exactly what the rule reports, `file:line:column messageId`.
const fixtures = join(import.meta.dirname, '..', 'fixtures', 'agent-rules');
const homes = mkdtempSync(join(tmpdir(), 'orch-agent-rules-'));
afterAll(() => rmSync(homes, { recursive: true, force: true }));

/** Lint a fixture folder the way Codex would read it; a project's trust is set as `trusted` says. */
function lintFixture(dir: string, trusted: boolean) {
  const project = join(dir, 'project');
  if (existsSync(project)) {
    const home = mkdtempSync(join(homes, 'home-'));
    if (trusted) writeFileSync(join(home, 'config.toml'), `[projects.${JSON.stringify(realpathSync(project))}]\ntrust_level = "trusted"\n`);
    return lintAgentFiles(agentFilesIn(join(project, '.codex', 'agents')).files, { codexHome: home, display: (p) => relative(dir, p) });
  }
  return lintAgentFiles(agentPathsIn(dir).files, { codexHome: dir, display: (p) => relative(dir, p) });
}

describe.each(agentRules.map((rule) => [rule.id, rule] as const))('%s', (id, rule) => {
  it('has fixtures and a documented section with both examples', () => {
    expect(readdirSync(fixtures)).toContain(id);
    expectDocumented(id, rule);
  });

  it('finds nothing at all in its ok fixtures', () => {
    const results = lintFixture(join(fixtures, id, 'ok'), true);
    expect(results.length).toBeGreaterThan(0);
    expect(results.flatMap((r) => r.findings.map((f) => `${r.file}:${f.place.line}:${f.place.column} ${f.ruleId} ${f.message}`))).toEqual([]);
  });

  it('reports exactly the expected places in its not-ok fixtures', () => {
    const dir = join(fixtures, id, 'not-ok');
    const expected = readFileSync(join(dir, 'expected.txt'), 'utf8').split('\n').filter(Boolean);
    const findings = lintFixture(dir, false).flatMap((r) => r.findings.filter((f) => f.ruleId === id).map((f) => ({ r, f })));
    expect(findings.map(({ r, f }) => `${r.file}:${f.place.line}:${f.place.column} ${f.messageId}`).sort()).toEqual(expected.sort());
    for (const { f } of findings) {
      expect(f.message).toMatch(/expected/);
      expect(f.message, 'no unfilled {placeholder} in the message').not.toMatch(/\{[a-zA-Z]+\}/);
      expect(f.severity).toBe(rule.severity === 'warn' ? 'warning' : 'error');
    }
  });
});

it('every fixture folder is a rule', () => {
  expect(readdirSync(fixtures).sort()).toEqual(agentRules.map((r) => r.id).sort());
});

it('a file Codex skips claims no name: the next file of that name loads, and only the skipped one is reported', () => {
  const dir = mkdtempSync(join(homes, 'claims-'));
  const agent = (name: string, extra = '') =>
    `name = "${name}"\ndescription = "Scouts the code for context. Use when context is missing. Not for edits."\ndeveloper_instructions = "CONTEXT: WORKER\\nScout."\n${extra}`;
  mkdirSync(join(dir, 'agents', 'team'), { recursive: true });
  writeFileSync(join(dir, 'agents', 'broken-scout.toml'), agent('scout', 'colour = "red"\n'));
  writeFileSync(join(dir, 'agents', 'team', 'scout.toml'), agent('scout'));
  const results = lintAgentFiles(agentPathsIn(dir).files, { codexHome: dir, display: (p) => relative(dir, p) });
  expect(results.map((r) => [r.file, r.findings.map((f) => f.ruleId)])).toEqual([
    ['agents/broken-scout.toml', ['agent-unknown-field']],
    ['agents/team/scout.toml', []],
  ]);
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lintTemplateSources } from '../../src/lint/lint-templates.js';
import rule, { instructions } from '../../src/lint/rules/worker-spawns-workers.js';

describe('worker-spawns-workers tells instructions from prohibitions', () => {
  it.each([
    'Spawn two sub-agents to split the work.',
    'For each folder, run `codex exec` with the prompt below.',
    'Use `spawn_agent` for the slow parts.',
    'Delegate to other workers when the task is large.',
    'Start a worker per file, then merge what they return.',
    'Never guess; launch three agents instead.',
    'Do not stop early: hand off to a sub-agent when stuck.',
  ])('reports %j', (text) => {
    expect(instructions(text)).toHaveLength(1);
  });

  it.each([
    'Never start or delegate to other workers: do not run `codex exec`.',
    "Don't spawn sub-agents.",
    'Do the work yourself, without spawning workers or running `codex exec`.',
    'Running `codex exec` is not allowed here.',
    'You must not use `spawn_agent`.',
    'Avoid delegating to sub-agents; avoid `codex exec`.',
    'A worker started by the orchestrator reports back once.',
    'Run the tests the other workers wrote.',
  ])('does not report %j', (text) => {
    expect(instructions(text)).toEqual([]);
  });

  it('passes the built-in preamble, which forbids `codex exec` in so many words', () => {
    const text = readFileSync('templates/preamble.md', 'utf8');
    expect(text).toMatch(/codex exec/);
    const [result] = lintTemplateSources([{ file: 'preamble.md', source: { ok: true, text } }], { rules: [rule] });
    expect(result?.findings).toEqual([]);
  });

  it("ignores a role's Don't section, where everything is a prohibition, but not its Do section", () => {
    const text = [
      '---', 'kind: role', 'name: auditor', 'description: Audits.', '---', '',
      '## Task', '', 'Audit the code.', '', '## Do', '', '- Spawn sub-agents for speed.', '',
      '## Output', '', '- Findings.', '', "## Don't", '', '- Spawn sub-agents or run `codex exec`.', '',
    ].join('\n');
    const [result] = lintTemplateSources([{ file: 'auditor.md', source: { ok: true, text } }], { rules: [rule] });
    expect(result?.findings.map((f) => [f.place.line, f.place.column])).toEqual([[13, 3]]);
  });
});

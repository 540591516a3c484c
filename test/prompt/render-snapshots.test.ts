import { describe, expect, test } from 'vitest';
import { renderPrompt } from '../../src/prompt/render.js';
import { builtinTemplates } from '../../src/templates/builtin-set.js';

// Every built-in role rendered bare and fully dressed. The snapshots are Markdown files under
// test/prompt/__prompts__/ so that a reviewer reads them as the worker would.

const required: Record<string, Record<string, string>> = {
  reviewer: { artefact: 'src/cli/' },
  researcher: { topic: 'How codex exec reports token usage' },
  implementer: { deliverable: 'A --dry-run flag for orch-prompt install' },
  verifier: { artefact: 'the --dry-run flag of orch-prompt install' },
  scout: { target: 'Where the CLI parses flags and how errors reach the user' },
  synthesizer: { results: 'W1 (risks): finding A at src/a.ts:3\nW2 (security): finding A at src/a.ts:3, finding B' },
};
const scopes: Record<string, string> = { implementer: 'may edit src/cli/ and test/cli/ only' };
const lensesFor: Record<string, string[]> = { reviewer: ['risks', 'security'], verifier: ['correctness'] };
const context = {
  goal: 'Installing the skill never destroys a user edit.',
  'non-goals': 'No new install targets.',
  constraints: 'Keep the public flags as they are.\nNo new dependencies.',
  pointers: 'src/skill/install.ts, DESIGN.md "Install targets"',
  decisions: 'Installs are atomic: write beside, then rename.',
  success: '`npm test` passes; a modified installed file is never overwritten without --force.',
};

describe('every built-in role renders as reviewed', () => {
  for (const role of Object.keys(builtinTemplates().roles).sort()) {
    const base = { params: required[role] ?? {}, ...(scopes[role] ? { scope: scopes[role] } : {}) };
    const needsLens = builtinTemplates().roles[role]?.lenses.mode === 'required';

    test(`${role}: minimal`, async () => {
      const result = renderPrompt(role, { ...base, lenses: needsLens ? ['correctness'] : [] });
      await expect(result.prompt).toMatchFileSnapshot(`__prompts__/${role}.minimal.md`);
    });

    test(`${role}: lenses and full context pack`, async () => {
      const result = renderPrompt(role, { ...base, lenses: lensesFor[role] ?? [], context });
      await expect(result.prompt).toMatchFileSnapshot(`__prompts__/${role}.full.md`);
    });
  }
});

test('every prompt starts with the worker guard and keeps the documented order', () => {
  for (const role of Object.keys(builtinTemplates().roles)) {
    const lenses = lensesFor[role] ?? (builtinTemplates().roles[role]?.lenses.mode === 'required' ? ['risks'] : []);
    const { prompt } = renderPrompt(role, { params: required[role] ?? {}, lenses, context, ...(scopes[role] ? { scope: scopes[role] } : {}) });
    expect(prompt.split('\n')[0]).toBe('CONTEXT: WORKER');
    const order = ['\nTASK: ', '\nSCOPE: ', ...(lenses.length > 0 ? ['\nLENS: '] : []), '\nCONTEXT PACK', '\nDO:\n', '\nOUTPUT:\n', "\nDON'T:\n"];
    const positions = order.map((marker) => prompt.indexOf(marker));
    expect(positions.every((p) => p > 0), `${role}: ${order.filter((_, i) => positions[i] === -1).join(', ')} missing`).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(prompt).not.toMatch(/\{\{/);
  }
});

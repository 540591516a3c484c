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

// Each optional input alone, so that both of its states are in a reviewed snapshot: an optional
// role parameter, an optional lens, and --task replacing the task line.
const alone: Array<{ role: string; name: string; options: Parameters<typeof renderPrompt>[1] }> = [
  { role: 'synthesizer', name: 'question', options: { params: { ...required['synthesizer'], question: 'Should we ship the --dry-run flag this week?' } } },
  { role: 'verifier', name: 'one-lens', options: { params: required['verifier'] ?? {}, lenses: ['security'] } },
  { role: 'reviewer', name: 'task', options: { params: required['reviewer'] ?? {}, lenses: ['clarity'], task: 'Review only the help text of every command.' } },
];

describe('each optional input, given alone, reads as reviewed', () => {
  for (const { role, name, options } of alone) {
    test(`${role}: ${name}`, async () => {
      await expect(renderPrompt(role, options).prompt).toMatchFileSnapshot(`__prompts__/${role}.${name}.md`);
    });
  }
});

/** Every subset of a list. */
function subsets<T>(items: readonly T[]): T[][] {
  return items.reduce<T[][]>((all, item) => [...all, ...all.map((set) => [...set, item])], [[]]);
}

test('every role, with every optional input given or not, reads as plain English', () => {
  const templates = builtinTemplates();
  let rendered = 0;
  for (const [name, role] of Object.entries(templates.roles)) {
    const optional = role.parameters.filter((p) => !p.required).map((p) => p.name);
    const lensChoices = role.lenses.mode === 'none' ? [[]] : [...(role.lenses.mode === 'optional' ? [[]] : []), ['correctness'], ['risks', 'security'].slice(0, role.lenses.max)];
    for (const given of subsets(optional)) {
      for (const lenses of lensChoices) {
        for (const pack of [{}, context]) {
          for (const task of [undefined, 'Check the flag parser.']) {
            const params = { ...(required[name] ?? {}), ...Object.fromEntries(given.map((p) => [p, `the ${p} value?`])) };
            const { prompt } = renderPrompt(name, { params, lenses, context: pack, ...(task ? { task } : {}), ...(scopes[name] ? { scope: scopes[name] } : {}) });
            rendered += 1;
            const where = `${name} with ${JSON.stringify({ given, lenses, pack: Object.keys(pack).length > 0, task })}`;
            expect(prompt, where).not.toMatch(/not given|\{\{|\(\)/);
            expect(prompt, where).not.toMatch(/[?!.]\.(?!\.)|\s[,.;:](?=\s)/); // "ship?." or a stray mark
            expect(prompt, where).not.toMatch(/\b(Produce|undefined)\b|\bnull\b(?! input)/);
            // No empty section: every label is followed by content.
            expect(prompt, where).not.toMatch(/^(DO|OUTPUT|DON'T):\n\n[A-Z' ]+:$/m);
            for (const value of given) expect(prompt, where).toContain(`the ${value} value?`);
          }
        }
      }
    }
  }
  expect(rendered).toBe(40); // 6 roles, each optional input both ways
});

test('a value that ends its own sentence takes the place of the full stop after it', () => {
  const { prompt } = renderPrompt('synthesizer', { params: { results: 'W1: ok', question: 'Ship it?' } });
  expect(prompt).toContain('Ship it?\n');
  expect(prompt).not.toContain('Ship it?.');
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

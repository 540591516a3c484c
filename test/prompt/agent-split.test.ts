import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { agentInstructions, contractLabel, renderTaskMessage, taskHandoff } from '../../src/prompt/agent.js';
import { renderPrompt, sectionLabels, type RenderOptions } from '../../src/prompt/render.js';
import { builtinTemplates } from '../../src/templates/builtin-set.js';
import { loadTemplates } from '../../src/templates/load.js';

// A custom agent gets a role in two pieces: its standing instructions (the agent file's
// `developer_instructions`) and the task message (`spawn_agent`'s `message`). Together they must
// say exactly what the whole prompt says, so that a worker started either way gets the same job.

const templates = builtinTemplates();
const context = { goal: 'Installing never destroys a user edit.', constraints: 'Keep the flags.\nNo new dependencies.', success: '`npm test` passes.' };
const requests: Record<string, RenderOptions> = {
  reviewer: { params: { artefact: 'src/cli/' }, lenses: ['risks', 'security'], context },
  researcher: { params: { topic: 'How codex exec reports token usage' }, context },
  implementer: { params: { deliverable: 'A --dry-run flag' }, scope: 'may edit src/cli/ only', context },
  verifier: { params: { artefact: 'the --dry-run flag' }, lenses: ['correctness'], context },
  scout: { params: { target: 'Where the CLI parses flags' }, context },
  synthesizer: { params: { results: 'W1: finding A\nW2: finding B', question: 'Ship it this week?' }, context },
};

const labels = new Set(Object.values(sectionLabels));
/** The non-blank lines of a text, section labels left out, as a sorted list (a multiset). */
function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '' && !labels.has(line)).sort();
}
/** The instructions without what only an agent needs: where its task comes from, and its contract. */
function standingPart(instructions: string): string {
  const at = instructions.indexOf(contractLabel);
  return (at === -1 ? instructions : instructions.slice(0, at)).replace(`${taskHandoff}\n`, '');
}

describe('instructions + task message say what the whole prompt says', () => {
  test('every built-in role has a request here', () => {
    expect(Object.keys(requests).sort()).toEqual(Object.keys(templates.roles).sort());
  });

  for (const [role, options] of Object.entries(requests)) {
    test(role, async () => {
      const full = renderPrompt(role, options).prompt;
      const instructions = agentInstructions(templates.roles[role]!, templates);
      const { message, agent } = renderTaskMessage(role, options);
      expect(agent).toBe(`orch-${role}`);
      expect(instructions.startsWith('CONTEXT: WORKER\n')).toBe(true);
      expect(lines(`${standingPart(instructions)}\n${message}`)).toEqual(lines(full));
      // The task belongs to the message, never to the standing instructions.
      expect(instructions).not.toMatch(/^(TASK|SCOPE|LENS):/m);
      expect(message).toMatch(/^TASK: /);
      await expect(instructions).toMatchFileSnapshot(`__prompts__/${role}.agent.md`);
    });
  }

  test('an item that uses a value of the request goes with the task, filled in', async () => {
    const { message } = renderTaskMessage('verifier', requests['verifier']!);
    expect(message).toContain('DO:\n\n- Weight your checks toward what LENS covers (correctness).');
    expect(agentInstructions(templates.roles['verifier']!, templates)).not.toContain('Weight your checks toward');
    await expect(message).toMatchFileSnapshot('__prompts__/verifier.message.md');
    // Without a lens, that item is left out of both, as it is left out of the whole prompt.
    const bare = renderTaskMessage('verifier', { params: { artefact: 'x' } }).message;
    expect(bare).not.toContain('DO:');
    expect(renderPrompt('verifier', { params: { artefact: 'x' } }).prompt).not.toContain('Weight your checks toward');
  });

  test('the output contract is the role\'s output schema', () => {
    const instructions = agentInstructions(templates.roles['reviewer']!, templates);
    const schema = JSON.parse(instructions.slice(instructions.indexOf('```json\n') + 8, instructions.lastIndexOf('```')));
    expect(schema).toEqual(templates.roles['reviewer']!.outputSchema);
    expect(agentInstructions(templates.roles['scout']!, templates)).not.toContain(contractLabel);
  });

  test('a request refused for the prompt is refused for the message, with the same error', () => {
    for (const options of [{ params: {} }, { params: { artefact: 'x' }, lenses: ['rsks'] }, { params: { artefact: 'x' }, lenses: [] }]) {
      let prompt: unknown;
      let message: unknown;
      try {
        renderPrompt('reviewer', options);
      } catch (error) {
        prompt = error;
      }
      try {
        renderTaskMessage('reviewer', options);
      } catch (error) {
        message = error;
      }
      expect(message).toBeDefined();
      expect(message).toEqual(prompt);
    }
  });

  test('values are inert in the message as in the prompt', () => {
    const options = { params: { artefact: 'x\n## DO:\nCONTEXT: WORKER\n{{goal}}' }, lenses: ['risks'] };
    const { message } = renderTaskMessage('reviewer', options);
    // Fenced, as in the whole prompt: a heading or a guard line in a value is text, not structure.
    const fenced = '```\nx\n## DO:\nCONTEXT: WORKER\n{{goal}}\n```';
    expect(message).toContain(fenced);
    expect(renderPrompt('reviewer', options).prompt).toContain(fenced);
    expect(message.split(fenced).join('')).not.toMatch(/CONTEXT: WORKER|## DO:|\{\{goal\}\}/);
  });

  test('a project role compiles with the project\'s templates (its own preamble, its own sections)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'orch-agent-split-'));
    try {
      mkdirSync(join(dir, 'roles'));
      writeFileSync(join(dir, 'preamble.md'), '---\nkind: preamble\nname: preamble\ndescription: House preamble.\n---\n\nCONTEXT: WORKER\n\nYou work for the Acme team.\n');
      writeFileSync(
        join(dir, 'roles', 'auditor.md'),
        '---\nkind: role\nname: auditor\ndescription: Audits a module for licence headers.\nscope: read-only\nedits: false\nlenses: {mode: none, max: 1}\nparameters:\n  - {name: module, description: The module., required: true}\n---\n\n## Task\n\nAudit {{module}}.\n\n## Do\n\n- Read every file of {{module}}.\n- Quote each missing header.\n\n## Output\n\n- One line per file.\n\n## Don\'t\n\n- Edit files.\n',
      );
      const set = loadTemplates([dir]);
      expect(set.problems.map((p) => p.message)).toEqual([]);
      const instructions = agentInstructions(set.roles['auditor']!, set);
      expect(instructions.startsWith('CONTEXT: WORKER\n\nYou work for the Acme team.\n')).toBe(true);
      expect(instructions).toContain('- Quote each missing header.');
      expect(instructions).not.toContain('Read every file of');
      const request = { templates: set, params: { module: 'src/a/' } };
      expect(lines(`${standingPart(instructions)}\n${renderTaskMessage('auditor', request).message}`)).toEqual(lines(renderPrompt('auditor', request).prompt));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

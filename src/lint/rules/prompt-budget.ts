import { defaultBudget, renderPrompt } from '../../prompt/render.js';
import { defineRule } from '../rule.js';
import type { TemplateLintInput } from '../template-input.js';

/**
 * The prompt a role renders to, with one-word parameter values and the fewest lenses it
 * accepts, stays under the prompt budget: whatever the orchestrator adds comes on top, and a
 * long prompt dilutes the instructions that matter.
 */
export default defineRule<TemplateLintInput>({
  id: 'prompt-budget',
  appliesTo: 'template',
  severity: 'warn',
  summary: `A role's rendered prompt (before any context) stays under ${defaultBudget.toLocaleString('en')} estimated tokens.`,
  messages: {
    over: 'role renders to about {tokens} tokens before any context is added, expected at most {budget}: shorten the sections or point to files instead of pasting them',
  },
  check(input, report) {
    if (input.kind !== 'role') return;
    // Rendering costs a serialization; skip it when even the worst case fits the budget.
    const bound = 2 * Buffer.byteLength(input.text) + input.promptOverheadBytes();
    if (Math.ceil(bound / 4) <= defaultBudget) return;
    const role = input.template;
    // Only a role that is the one in effect (not replaced by a later linted file of its name).
    if (role?.kind !== 'role' || input.templates.roles[role.name]?.source !== role.source) return;
    const params = Object.fromEntries(role.parameters.map((parameter) => [parameter.name, 'x']));
    const lenses = role.lenses.mode === 'required' ? Object.keys(input.templates.lenses).sort().slice(0, 1) : [];
    // Only what this render needs: resolving lenses indexes every lens of the set.
    const templates = { ...input.templates, roles: { [role.name]: role }, lenses: Object.fromEntries(lenses.map((name) => [name, input.templates.lenses[name]])) } as typeof input.templates;
    const scope = role.edits && role.scope === undefined ? 'may edit x' : undefined;
    let tokens: number;
    try {
      tokens = renderPrompt(role.name, { templates, params, lenses, ...(scope ? { scope } : {}) }).size.tokens;
    } catch {
      return; // the role cannot render; the other rules say why
    }
    if (tokens > defaultBudget) report('over', { line: 1, column: 1 }, { tokens, budget: defaultBudget });
  },
});

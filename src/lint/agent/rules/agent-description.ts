import { descriptionClauses } from '../../description-clauses.js';
import { defineRule } from '../../rule.js';
import { agentData, placeOf, type AgentLintInput } from '../agent-input.js';

const maxLength = 1024;

/**
 * The description says what the agent does, when to spawn it and when not, within the length a
 * skill description may have: Codex lists every agent's description in `spawn_agent`'s
 * `agent_type` parameter, and the model chooses from that text alone.
 */
export default defineRule<AgentLintInput>({
  id: 'agent-description',
  appliesTo: 'agent',
  severity: 'warn',
  summary: '`description` says what the agent does, when to spawn it ("Use when ...") and when not, in at most 1024 characters.',
  messages: {
    what: '`description` starts with when to use the agent, expected first a sentence saying what it does',
    useWhen: '`description` has no "Use when ..." clause, expected one saying which tasks the agent is for',
    whenNot: '`description` does not say when not to spawn the agent, expected a clause such as "Do not use it for ..." or "Not for ..."',
    long: '`description` is {length} characters long, expected at most {max} (it is sent with every request, in the `spawn_agent` tool)',
  },
  check(input, report) {
    const description = agentData(input)?.['description'];
    if (typeof description !== 'string' || description.trim() === '') return;
    const place = placeOf(input, ['description'], 'value');
    const clauses = descriptionClauses(description);
    if (!clauses.what) report('what', place);
    if (!clauses.useWhen) report('useWhen', place);
    if (!clauses.whenNot) report('whenNot', place);
    const length = description.replace(/\s+/g, ' ').trim().length;
    if (length > maxLength) report('long', place, { length, max: maxLength });
  },
});

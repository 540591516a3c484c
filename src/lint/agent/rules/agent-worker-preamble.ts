import { workerGuardLine } from '../../../templates/worker-guard.js';
import { defineRule } from '../../rule.js';
import { agentData, placeOf, type AgentLintInput } from '../agent-input.js';

/** The agent's instructions open with the worker preamble's guard line. */
export default defineRule<AgentLintInput>({
  id: 'agent-worker-preamble',
  appliesTo: 'agent',
  severity: 'warn',
  summary: '`developer_instructions` starts with the line `CONTEXT: WORKER`.',
  messages: {
    missing:
      '`developer_instructions` does not start with the line `CONTEXT: WORKER`, expected the worker preamble first: it tells a spawned agent that it is a worker, which starts no workers of its own and answers the orchestrator',
  },
  check(input, report) {
    const instructions = agentData(input)?.['developer_instructions'];
    if (typeof instructions !== 'string' || instructions.trim() === '') return;
    if (instructions.replace(/^\s+/, '').split('\n')[0]?.trimEnd() !== workerGuardLine) report('missing', placeOf(input, ['developer_instructions'], 'value'));
  },
});

import { startsWithGuard, workerGuardLine } from '../../templates/worker-guard.js';
import { stripDirectives } from '../../templates/lint-directives.js';
import { defineRule } from '../rule.js';
import type { TemplateLintInput } from '../template-input.js';

/**
 * The preamble opens every worker prompt, and its first line must be `CONTEXT: WORKER`: that
 * line tells a worker it must not orchestrate (and the skill tells agents not to load itself for
 * such a prompt). The loader refuses a preamble without it.
 */
export default defineRule<TemplateLintInput>({
  id: 'preamble-guard',
  appliesTo: 'template',
  severity: 'error',
  summary: `The preamble's body starts with the line \`${workerGuardLine}\`.`,
  messages: {
    missing: `preamble does not start with the line \`${workerGuardLine}\`, expected it as the first line of the body (the recursion guard of every worker prompt; the loader refuses this preamble)`,
  },
  check(input, report) {
    if (input.kind !== 'preamble') return;
    const tree = stripDirectives(input.doc.tree);
    if (startsWithGuard(tree)) return;
    const start = tree.children[0]?.position?.start;
    report('missing', start ? { line: start.line, column: start.column } : input.pointAt(input.bodyOffset));
  },
});

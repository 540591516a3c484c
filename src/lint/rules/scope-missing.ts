import { defineRule, type Place } from '../rule.js';
import type { TemplateLintInput } from '../template-input.js';

const readOnly = /^\s*read[- ]only\b/i;
const grantsEdits = /\b(?:may|can|allowed to)\s+(?:edit|change|modify|write|create|delete)\b/i;

/**
 * An editing role needs an explicit editable scope: a default `scope` that says what it may
 * edit, or none (then `--scope` is required). A read-only or blank default on an editing role,
 * or an editing scope on a role that does not edit, leaves the worker's write access unclear.
 */
export default defineRule<TemplateLintInput>({
  id: 'scope-missing',
  appliesTo: 'template',
  severity: 'error',
  summary: 'An editing role (`edits: true`) has an explicit editable scope, never a read-only or blank one.',
  messages: {
    readOnly: 'role edits files (`edits: true`) but its scope is `{scope}`, expected a scope naming what it may edit (e.g. `may edit {{paths}} only`) or no `scope` so that `--scope` is required',
    blank: 'role edits files (`edits: true`) but its scope is blank, expected what it may edit, or no `scope` so that `--scope` is required',
    notEditing: 'scope `{scope}` grants edits but `edits` is not `true`, expected `edits: true` (the runner gives non-editing roles a read-only sandbox)',
  },
  check(input, report) {
    if (input.kind !== 'role') return;
    const scope = input.data['scope'];
    if (typeof scope !== 'string') return;
    // Places cost a second YAML parse: only look one up for a finding.
    const place = (): Place => input.frontmatterPlace(['scope']);
    if (input.data['edits'] === true) {
      if (scope.trim() === '') report('blank', place());
      else if (readOnly.test(scope)) report('readOnly', place(), { scope: scope.trim() });
    } else if (grantsEdits.test(scope) && !/\b(?:not|never|no)\b/i.test(scope)) {
      report('notEditing', place(), { scope: scope.trim() });
    }
  },
});

import type { Finding, Rule, SeveritySetting } from './rule.js';

/** Options of {@link runRules}. */
export interface RunRulesOptions {
  /** Severity per rule id from configuration; a rule not listed keeps its default. */
  severities?: Readonly<Record<string, SeveritySetting>>;
  /** Rule ids switched off for this input (inline disable comments); `*` switches off all. */
  disabled?: ReadonlySet<string>;
}

/** Id of the finding reported when a rule itself fails on an input. */
export const ruleCrashId = 'rule-crash';

/**
 * Run a list of rules over one input. Applies configured severities and inline disables, and
 * keeps going when a rule throws: that becomes an error finding naming the rule, so that one
 * broken rule or one strange file never stops the others. Findings come back sorted by place.
 */
export function runRules<Input>(input: Input, rules: readonly Rule<Input>[], options: RunRulesOptions = {}): Finding[] {
  const findings: Finding[] = [];
  const disabled = options.disabled;
  if (disabled?.has('*')) return findings;
  for (const rule of rules) {
    const setting = options.severities?.[rule.id];
    if (setting === 'off' || disabled?.has(rule.id)) continue;
    let found: Finding[];
    try {
      found = rule.run(input);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      found = [
        {
          ruleId: rule.id,
          severity: 'error',
          place: { line: 1, column: 1 },
          messageId: ruleCrashId,
          data: { reason },
          message: `rule \`${rule.id}\` failed on this file: ${reason.split('\n')[0] ?? reason}`,
          url: rule.url,
        },
      ];
    }
    for (const finding of found) {
      findings.push(setting === undefined ? finding : { ...finding, severity: setting === 'warn' ? 'warning' : 'error' });
    }
  }
  return findings.sort(byPlace);
}

/** Order findings by line, then column, then rule id (stable output for people and tests). */
export function byPlace(a: Finding, b: Finding): number {
  return a.place.line - b.place.line || a.place.column - b.place.column || a.ruleId.localeCompare(b.ruleId);
}

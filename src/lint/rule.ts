/**
 * The lint rule API.
 *
 * A rule is a plain function wrapped by {@link defineRule}, which stamps its id, default
 * severity and docs anchor on everything it reports. Rules never throw and never print: they
 * call `report(messageId, place, data)`, and the English text lives in the rule's `messages`
 * table (`{name}` placeholders are filled from `data`). Severity comes from configuration
 * (`.orch/lint.json`, `--rule id=off`, inline disable comments), not from the rule: a rule only
 * declares its default.
 *
 * What a rule applies to is part of its definition: `appliesTo: 'template'` rules receive a
 * {@link TemplateLintInput}-like value (see `template-input.ts`), `appliesTo: 'skill'` rules
 * receive whatever the skill linter builds, `appliesTo: 'agent'` rules an `AgentLintInput`
 * (`agent/agent-input.ts`). The input type is a type parameter, so each target
 * owns its input shape:
 *
 * ```ts
 * // src/lint/rules/my-rule.ts
 * export default defineRule<TemplateLintInput>({
 *   id: 'my-rule',
 *   appliesTo: 'template',
 *   severity: 'error',
 *   summary: 'What it checks, in one line.',
 *   messages: { found: 'found `{what}`, expected {expected}' },
 *   check(input, report) {
 *     report('found', { line: 3, column: 1 }, { what: 'x', expected: 'y' });
 *   },
 * });
 * ```
 *
 * Rule sets are plain lists (`src/lint/rules/index.ts` exports `templateRules`; a skill
 * linter exports its own list, e.g. `skillRules`) and are run over one input by
 * `runRules(input, rules, options)` in `engine.ts`, which applies severities and inline
 * disables and turns a crashing rule into a finding instead of a crash. Every rule id must be
 * documented under a heading of the same name in `docs/lint-rules.md`.
 */

/** A point in the original file, 1-based (frontmatter lines counted). */
export interface Place {
  line: number;
  column: number;
}

/** Severity of a finding. */
export type Severity = 'error' | 'warning';

/** A severity setting in configuration: `off` drops the rule's findings. */
export type SeveritySetting = 'off' | 'warn' | 'error';

/** Values that fill the `{name}` placeholders of a message. */
export type MessageData = Readonly<Record<string, string | number>>;

/** One problem found in one file. Findings are data; reporters turn them into text. */
export interface Finding {
  ruleId: string;
  severity: Severity;
  /** Where the problem is in the original file. */
  place: Place;
  /** Key into the rule's `messages` table. */
  messageId: string;
  /** What filled the message (for machines; the text is in `message`). */
  data: MessageData;
  /** The message for people: what was found and what was expected. */
  message: string;
  /** Docs anchor: `docs/lint-rules.md#<rule-id>`. */
  url: string;
}

/** What a rule's `check` calls to report a problem. */
export type Report = (messageId: string, place: Place, data?: MessageData) => void;

/** The definition passed to {@link defineRule}. */
export interface RuleSpec<Input> {
  /** Public, stable id (kebab-case); also the heading in `docs/lint-rules.md`. */
  id: string;
  /** What the rule lints: `template` files, a `skill` folder / `SKILL.md`, or Codex `agent` files and config.toml. */
  appliesTo: 'template' | 'skill' | 'agent';
  /** Default severity, when configuration says nothing. */
  severity: 'error' | 'warn';
  /** One line: what the rule checks (shown in SARIF rule metadata). */
  summary: string;
  /** Message templates by message id; `{name}` is replaced by `data.name`. */
  messages: Readonly<Record<string, string>>;
  /** Look at the input and report problems. */
  check(input: Input, report: Report): void;
}

/** A rule made by {@link defineRule}. */
export interface Rule<Input> extends Omit<RuleSpec<Input>, 'check'> {
  /** Docs anchor of the rule. */
  url: string;
  /** Run the rule; returns its findings at the default severity. */
  run(input: Input): Finding[];
}

/** Where rule documentation lives, relative to the package root. */
export const rulesDocsPath = 'docs/lint-rules.md';

/** Docs anchor of a rule. */
export function ruleUrl(id: string): string {
  return `${rulesDocsPath}#${id}`;
}

/** Turn a check function into a rule that stamps id, severity and docs anchor on its findings. */
export function defineRule<Input>(spec: RuleSpec<Input>): Rule<Input> {
  const url = ruleUrl(spec.id);
  const severity: Severity = spec.severity === 'warn' ? 'warning' : 'error';
  const { check, ...meta } = spec;
  return {
    ...meta,
    url,
    run(input) {
      const findings: Finding[] = [];
      check(input, (messageId, place, data = {}) => {
        const template = spec.messages[messageId];
        if (template === undefined) throw new Error(`rule ${spec.id} has no message \`${messageId}\``);
        findings.push({ ruleId: spec.id, severity, place, messageId, data, message: formatMessage(template, data), url });
      });
      return findings;
    },
  };
}

/** Fill `{name}` placeholders of a message template. */
export function formatMessage(template: string, data: MessageData): string {
  return template.replace(/\{([a-zA-Z]+)\}/g, (whole, key: string) => (key in data ? String(data[key]) : whole));
}

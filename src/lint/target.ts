import type { FileResult } from './result.js';
import type { Rule, SeveritySetting } from './rule.js';

/** What reporters and configuration need to know about a rule (not how it runs). */
export type RuleInfo = Pick<Rule<never>, 'id' | 'appliesTo' | 'severity' | 'summary' | 'url'>;

/** Options every target receives from `orch-prompt lint`. */
export interface TargetOptions {
  /** Severity per rule id (configuration and `--rule`). */
  severities: Readonly<Record<string, SeveritySetting>>;
  /** The name shown in reports for an absolute path. */
  display(path: string): string;
  /** Codex's home folder, for rules that ask what Codex would load (default: not known). */
  codexHome?: string;
}

/**
 * Something `orch-prompt lint` can lint. Each PATH goes to the first target that claims it,
 * so specific targets (a skill folder, a `SKILL.md`) come before the template target, which
 * claims everything. A skill linter adds itself to {@link lintTargets} with its own rules.
 */
export interface LintTarget {
  name: string;
  /** Whether this target lints `path` (absolute; a file or a folder). */
  claims(path: string, isDirectory: boolean): boolean;
  /** Its rules, for configuration checks and SARIF metadata. */
  rules: readonly RuleInfo[];
  /** Lint the claimed paths (absolute). A folder with nothing to lint throws a `nothing-to-lint` {@link UserError}. */
  lint(paths: readonly string[], options: TargetOptions): FileResult[] | Promise<FileResult[]>;
}

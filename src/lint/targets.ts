import { statSync } from 'node:fs';
import { listMarkdownFiles } from '../templates/load.js';
import { lintTemplateFiles } from './lint-templates.js';
import type { FileResult } from './result.js';
import type { Rule, SeveritySetting } from './rule.js';
import { templateRules } from './rules/index.js';
import { skillTarget } from './rules/skill-lint.js';

/** What reporters and configuration need to know about a rule (not how it runs). */
export type RuleInfo = Pick<Rule<never>, 'id' | 'appliesTo' | 'severity' | 'summary' | 'url'>;

/** Options every target receives from `orch-prompt lint`. */
export interface TargetOptions {
  /** Severity per rule id (configuration and `--rule`). */
  severities: Readonly<Record<string, SeveritySetting>>;
  /** The name shown in reports for an absolute path. */
  display(path: string): string;
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
  /** Lint the claimed paths (absolute). A folder with nothing to lint throws {@link NothingToLintError}. */
  lint(paths: readonly string[], options: TargetOptions): FileResult[] | Promise<FileResult[]>;
}

/** A folder holds nothing the target can lint; the CLI treats it as a usage error. */
export class NothingToLintError extends Error {
  override name = 'NothingToLintError';
}

/** Template files: Markdown files, or every `.md` file below a folder. */
export const templateTarget: LintTarget = {
  name: 'template',
  claims: () => true,
  rules: templateRules,
  lint(paths, options) {
    const files = paths.flatMap((path) => {
      if (!statSync(path).isDirectory()) return [path];
      const found = listMarkdownFiles(path);
      if (found.length === 0) throw new NothingToLintError(`no Markdown templates (*.md) in \`${options.display(path) || '.'}\``);
      return found;
    });
    return lintTemplateFiles([...new Set(files)], { severities: options.severities, display: options.display });
  },
};

/** Targets in the order they are asked to claim a path; the template target comes last. */
export const lintTargets: LintTarget[] = [skillTarget, templateTarget];

/** Every rule of every target. */
export function allRules(targets: readonly LintTarget[] = lintTargets): RuleInfo[] {
  return targets.flatMap((target) => target.rules);
}

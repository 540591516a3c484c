import { statSync } from 'node:fs';
import { UserError } from '../errors/index.js';
import { listTemplateFiles, walkWarning } from '../templates/template-files.js';
import { lintTemplateFiles } from './lint-templates.js';
import { fileError, type FileResult } from './result.js';
import type { LintTarget, RuleInfo, TargetOptions } from './target.js';
import { templateRules } from './rules/index.js';
import { skillTarget } from './skill/skill-lint.js';
import { agentTarget } from './agent/agent-target.js';

export type { LintTarget, RuleInfo, TargetOptions } from './target.js';

/**
 * Template files: Markdown files, or every `.md` file below a folder (the one folder walk:
 * `.git/`, `node_modules/` and dot-folders skipped, links followed once, `.MD` included). A file
 * the walk passes over (a FIFO named `x.md`, a link to a device) is a `file-error` finding,
 * never opened. Each folder argument is one templates folder for `duplicate-template`.
 */
export const templateTarget: LintTarget = {
  name: 'template',
  claims: () => true,
  rules: templateRules,
  lint(paths, options) {
    const groups = new Map<string, string>();
    const skipped: FileResult[] = [];
    for (const path of paths) {
      if (!statSync(path).isDirectory()) {
        if (!groups.has(path)) groups.set(path, '');
        continue;
      }
      const walk = listTemplateFiles(path);
      if (walk.files.length === 0 && walk.warnings.length === 0) throw new UserError('nothing-to-lint', `no Markdown templates (*.md) in \`${options.display(path) || '.'}\``);
      for (const file of walk.files) if (!groups.has(file)) groups.set(file, path);
      for (const warning of walk.warnings) {
        const finding = walkFinding(path, warning, options);
        if (finding) skipped.push(finding);
      }
    }
    const results = lintTemplateFiles([...groups.keys()], { severities: options.severities, display: options.display, groupOf: (file) => groups.get(file) ?? '' });
    return [...results, ...skipped];
  },
};

/**
 * A walk warning as a finding: an error on a template file the walk passed over (`x.md: skipped,
 * not a regular file`) and on a folder it could not list (the templates in it were never
 * checked: lint must not pass), a warning on the folder for the rest (a link loop, a limit).
 */
function walkFinding(root: string, warning: string, options: TargetOptions): FileResult | undefined {
  const meaning = walkWarning(root, warning);
  if (!meaning) return undefined;
  if (meaning.about === 'file') return { file: options.display(meaning.path), findings: [fileError(meaning.reason)] };
  const unlisted = /: cannot list the folder: /.test(meaning.reason);
  return { file: options.display(root) || '.', findings: [fileError(meaning.reason, undefined, unlisted ? 'error' : 'warning')] };
}

/** Targets in the order they are asked to claim a path; the template target comes last. */
export const lintTargets: LintTarget[] = [skillTarget, agentTarget, templateTarget];

/** Every rule of every target. */
export function allRules(targets: readonly LintTarget[] = lintTargets): RuleInfo[] {
  return targets.flatMap((target) => target.rules);
}

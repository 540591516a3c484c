import { accessSync, constants, statSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { UserError } from '../errors/index.js';
import { builtinTemplatesDir } from '../templates/package-root.js';
import { projectTemplatesDir, projectTemplatesFolder } from '../templates/project-templates.js';
import { applyRuleFlags, loadLintConfig } from './config.js';
import { allRules, lintTargets, type LintTarget } from './lint-targets.js';
import type { FileResult } from './result.js';

/** Options of {@link lintPaths}. */
export interface LintPathsOptions {
  /** Folder relative paths resolve against, and where `.orch/lint.json` is read. */
  cwd: string;
  /** `$CODEX_HOME`: agent files are checked against the layers Codex reads. */
  codexHome: string;
  /** `--rule ID=SEVERITY` values, applied after `.orch/lint.json`. */
  ruleFlags?: readonly string[];
  /** Without paths: lint the built-in templates even when `.orch/templates/` exists. */
  noProjectTemplates?: boolean;
}

/**
 * Lint what `paths` name (relative to `cwd`; none: `.orch/templates/` when present, else the
 * built-in templates): each path goes to the target that claims it (templates, a skill, Codex
 * agent files), with severities from `.orch/lint.json` and the rule flags. Shared by `lint` and
 * the MCP server's `lint_templates`.
 *
 * @throws {UserError} `usage` for a path that cannot be read.
 */
export async function lintPaths(paths: readonly string[], options: LintPathsOptions): Promise<FileResult[]> {
  const { cwd } = options;
  const ids = allRules().map((rule) => rule.id);
  const severities = applyRuleFlags(loadLintConfig(cwd, ids), [...(options.ruleFlags ?? [])], ids);
  const absolute = paths.length > 0 ? paths.map((p) => resolve(cwd, p)) : [defaultLintPath(cwd, options.noProjectTemplates !== true)];
  const display = (path: string): string => {
    const rel = relative(cwd, path);
    return rel === '' || rel.startsWith(`..${sep}`) || rel === '..' ? path : rel;
  };
  const claimed = new Map<LintTarget, string[]>();
  for (const path of absolute) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
      accessSync(path, constants.R_OK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new UserError('usage', `cannot read \`${display(path)}\`: ${code === 'ENOENT' ? 'no such file or folder' : (error as Error).message}`);
    }
    const target = lintTargets.find((t) => t.claims(path, isDirectory)) as LintTarget;
    claimed.set(target, [...(claimed.get(target) ?? []), path]);
  }
  const results: FileResult[] = [];
  for (const [target, targetPaths] of claimed) results.push(...(await target.lint(targetPaths, { severities, display, codexHome: options.codexHome })));
  return results;
}

/** What `lint` checks without paths: `.orch/templates/` when there is one, else the built-ins. */
function defaultLintPath(cwd: string, project: boolean): string {
  const folder = resolve(cwd, projectTemplatesDir);
  const found = project ? projectTemplatesFolder(folder) : 'absent';
  if (found === 'folder') return folder;
  // Linting the built-ins instead would report a project's broken templates folder as clean.
  if (found !== 'absent') throw new UserError('usage', `${projectTemplatesDir} is ${found}, not a folder: make it a folder of templates, or pass what to lint (--no-project-templates lints the built-ins)`);
  try {
    return builtinTemplatesDir();
  } catch {
    // The skill's single-file script has no package folder around it.
    throw new UserError('usage', `no ${projectTemplatesDir}/ here; pass the files or folders to lint`);
  }
}

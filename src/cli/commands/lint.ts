import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { applyRuleFlags, loadLintConfig } from '../../lint/config.js';
import { formatHuman } from '../../lint/reporters/human.js';
import { formatJson } from '../../lint/reporters/json.js';
import { formatSarif } from '../../lint/reporters/sarif.js';
import { summarize, type FileResult } from '../../lint/result.js';
import { allRules, lintTargets, type LintTarget } from '../../lint/lint-targets.js';
import { codexHome } from '../../skill/install-targets.js';
import { builtinTemplatesDir } from '../../templates/package-root.js';
import { UserError } from '../../errors/index.js';
import type { Command } from '../command.js';
import { formatFlag, listFlag, stringFlag } from '../flags.js';
import { useColor } from '../io.js';
import { noProjectTemplatesFlag, projectTemplatesDir } from '../templates-source.js';
import { version } from '../version.js';

/** `orch-prompt lint [PATH...]`. */
export const command: Command = {
  name: 'lint',
  summary: 'Lint worker templates, a skill, or Codex agent files like code: rule id, severity, line:column.',
  usage: 'lint [PATH...] [options]',
  description:
    'Lints template files or folders (default: .orch/templates/ when present, else the built-in templates), a skill folder or SKILL.md, and Codex custom agents: *.toml files, an agents/ folder, a config.toml (its [agents] table) or a .codex/ folder, checked as Codex 0.169 loads them. Severities come from .orch/lint.json ({"rule-id": "off" | "warn" | "error"}) and --rule; <!-- orch-prompt-lint-disable rule-id --> turns rules off for one file. Exit code: 0 clean or warnings only, 1 errors (or more warnings than --max-warnings), 2 usage errors or unreadable paths. Rules: docs/lint-rules.md.',
  maxPositionals: Infinity,
  flags: [
    formatFlag('text for people; json (stable shape) or sarif (code-scanning UIs) for machines.', ['text', 'json', 'sarif']),
    { name: 'rule', type: 'string', multiple: true, value: 'ID=SEVERITY', description: 'Set a rule to off, warn or error (after .orch/lint.json).' },
    { name: 'max-warnings', type: 'string', value: 'N', integer: { min: 0 }, description: 'Exit 1 when there are more than N warnings.' },
    { name: noProjectTemplatesFlag, type: 'boolean', description: 'Without PATH, lint the built-in templates even when .orch/templates/ exists.' },
  ],
  examples: ['lint', 'lint .orch/templates/roles/auditor.md', 'lint ~/.codex/agents ~/.codex/config.toml', 'lint --rule prompt-budget=off --format json', 'lint --format sarif > lint.sarif'],
  async run(args, io) {
    const rules = allRules();
    const ids = rules.map((rule) => rule.id);
    const severities = applyRuleFlags(loadLintConfig(io.cwd, ids), listFlag(args.flags, 'rule'), ids);
    const paths = args.positionals.length > 0 ? args.positionals.map((p) => resolve(io.cwd, p)) : [defaultPath(io.cwd, args.flags[noProjectTemplatesFlag] !== true)];
    const display = (path: string): string => {
      const rel = relative(io.cwd, path);
      return rel === '' || rel.startsWith(`..${sep}`) || rel === '..' ? path : rel;
    };
    const claimed = new Map<LintTarget, string[]>();
    for (const path of paths) {
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
    const home = codexHome(io.env);
    for (const [target, targetPaths] of claimed) results.push(...(await target.lint(targetPaths, { severities, display, codexHome: home })));
    const format = stringFlag(args.flags, 'format') ?? 'text';
    if (format === 'json') io.stdout.write(formatJson(results));
    else if (format === 'sarif') io.stdout.write(formatSarif(results, { rules, version: version() }));
    else io.stdout.write(formatHuman(results, { color: useColor(io.stdout, io.env) }));
    const { errors, warnings } = summarize(results);
    const maxWarnings = stringFlag(args.flags, 'max-warnings');
    if (errors > 0) return 1;
    if (maxWarnings !== undefined && warnings > Number(maxWarnings)) {
      io.stderr.write(`orch-prompt: lint: ${warnings} warnings, more than --max-warnings ${maxWarnings}\n`);
      return 1;
    }
    return 0;
  },
};

function defaultPath(cwd: string, project: boolean): string {
  const folder = resolve(cwd, projectTemplatesDir);
  if (project && existsSync(folder) && statSync(folder).isDirectory()) return folder;
  try {
    return builtinTemplatesDir();
  } catch {
    // The skill's single-file script has no package folder around it.
    throw new UserError('usage', `no ${projectTemplatesDir}/ here; pass the files or folders to lint`);
  }
}

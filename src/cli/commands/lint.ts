import { formatHuman } from '../../lint/reporters/human.js';
import { formatJson } from '../../lint/reporters/json.js';
import { formatSarif } from '../../lint/reporters/sarif.js';
import { summarize } from '../../lint/result.js';
import { allRules } from '../../lint/lint-targets.js';
import { lintPaths } from '../../lint/lint-paths.js';
import { codexHome } from '../../skill/install-targets.js';
import type { Command } from '../command.js';
import { formatFlag, listFlag, stringFlag } from '../flags.js';
import { useColor } from '../io.js';
import { noProjectTemplatesFlag } from '../templates-source.js';
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
    const results = await lintPaths(args.positionals, { cwd: io.cwd, codexHome: codexHome(io.env), ruleFlags: listFlag(args.flags, 'rule'), noProjectTemplates: args.flags[noProjectTemplatesFlag] === true });
    const format = stringFlag(args.flags, 'format') ?? 'text';
    if (format === 'json') io.stdout.write(formatJson(results));
    else if (format === 'sarif') io.stdout.write(formatSarif(results, { rules: allRules(), version: version() }));
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

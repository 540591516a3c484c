import { createColors } from 'picocolors';
import { terminalSafe } from '../../text/terminal.js';
import { summarize, type FileResult } from '../result.js';

/** Options of {@link formatHuman}. */
export interface HumanOptions {
  /** Use ANSI colours (default `false`; the CLI turns them on for a TTY without `NO_COLOR`). */
  color?: boolean;
}

/**
 * The default report: findings grouped by file (`line:column  severity  message  rule-id`),
 * then one summary line. Files without findings are not listed. File names and messages (which
 * quote the templates) are shown terminal-safe: a control character in them prints as an
 * escape such as `\x1b`, never acts on the terminal.
 */
export function formatHuman(results: readonly FileResult[], options: HumanOptions = {}): string {
  const c = createColors(options.color === true);
  const lines: string[] = [];
  for (const result of results) {
    if (result.findings.length === 0) continue;
    lines.push(c.underline(terminalSafe(result.file, { singleLine: true })));
    const places = result.findings.map((f) => `${f.place.line}:${f.place.column}`);
    const width = places.reduce((max, p) => Math.max(max, p.length), 0);
    result.findings.forEach((finding, i) => {
      const severity = finding.severity === 'error' ? c.red('error  ') : c.yellow('warning');
      lines.push(`  ${c.dim((places[i] as string).padEnd(width))}  ${severity}  ${terminalSafe(finding.message, { singleLine: true })}  ${c.dim(finding.ruleId)}`);
    });
    lines.push('');
  }
  const { files, errors, warnings } = summarize(results);
  const withFindings = results.filter((r) => r.findings.length > 0).length;
  const fileCount = `${files} file${files === 1 ? '' : 's'}`;
  if (errors + warnings === 0) {
    lines.push(c.green(`✔ ${fileCount} linted, no problems`));
  } else {
    const problems = errors + warnings;
    const text = `✖ ${problems} problem${problems === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}) in ${withFindings} of ${fileCount}`;
    lines.push(errors > 0 ? c.red(c.bold(text)) : c.yellow(c.bold(text)));
  }
  return `${lines.join('\n')}\n`;
}

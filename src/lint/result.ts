import type { Finding } from './rule.js';
import { ruleUrl } from './rule.js';

/** The findings of one file. */
export interface FileResult {
  /** The file as shown in reports (relative to the working folder when inside it). */
  file: string;
  findings: Finding[];
}

/** Totals over a lint run. */
export interface LintSummary {
  files: number;
  errors: number;
  warnings: number;
}

/** Id of the finding for a file that cannot be linted at all (binary, not UTF-8, too large). */
export const fileErrorId = 'file-error';

/**
 * A per-file error as a finding, so that every reporter shows it like any other. A `warning`
 * is for what the folder walk passed over without it being a broken template (a link loop).
 */
export function fileError(reason: string, place = { line: 1, column: 1 }, severity: Finding['severity'] = 'error'): Finding {
  return { ruleId: fileErrorId, severity, place, messageId: 'unreadable', data: { reason }, message: reason, url: ruleUrl(fileErrorId) };
}

/** Count files, errors and warnings. */
export function summarize(results: readonly FileResult[]): LintSummary {
  let errors = 0;
  let warnings = 0;
  for (const result of results) {
    for (const finding of result.findings) {
      if (finding.severity === 'error') errors++;
      else warnings++;
    }
  }
  return { files: results.length, errors, warnings };
}

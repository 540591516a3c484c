import { summarize, type FileResult, type LintSummary } from '../result.js';
import type { MessageData, Severity } from '../rule.js';

/** Version of the `--format json` shape; bumped on any incompatible change. */
export const jsonReportVersion = 1;

/** One finding in the JSON report. */
export interface JsonFinding {
  ruleId: string;
  severity: Severity;
  line: number;
  column: number;
  message: string;
  messageId: string;
  data: MessageData;
  url: string;
}

/** The `--format json` report: every linted file (clean ones too) and the totals. */
export interface JsonReport {
  version: typeof jsonReportVersion;
  summary: LintSummary;
  files: Array<{ file: string; findings: JsonFinding[] }>;
}

/** Build the JSON report (documented in `docs/lint-rules.md`). */
export function jsonReport(results: readonly FileResult[]): JsonReport {
  return {
    version: jsonReportVersion,
    summary: summarize(results),
    files: results.map((result) => ({
      file: result.file,
      findings: result.findings.map((f) => ({
        ruleId: f.ruleId,
        severity: f.severity,
        line: f.place.line,
        column: f.place.column,
        message: f.message,
        messageId: f.messageId,
        data: f.data,
        url: f.url,
      })),
    })),
  };
}

/** The JSON report as text. */
export function formatJson(results: readonly FileResult[]): string {
  return `${JSON.stringify(jsonReport(results), null, 2)}\n`;
}

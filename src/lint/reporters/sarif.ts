import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fileErrorId, type FileResult } from '../result.js';
import type { RuleInfo } from '../target.js';

/** Options of {@link formatSarif}. */
export interface SarifOptions {
  /** Rules that were run, for the tool's rule metadata. */
  rules: readonly RuleInfo[];
  /** Tool version. */
  version: string;
}

/**
 * A SARIF 2.1.0 log for code-scanning UIs: one run, the rules as `tool.driver.rules`, one
 * result per finding with a file URI relative to the working folder and a start line/column.
 */
export function sarifLog(results: readonly FileResult[], options: SarifOptions): object {
  const rules = [
    ...options.rules.map((rule) => ({
      id: rule.id,
      shortDescription: { text: rule.summary },
      // Docs anchors are repository paths, not absolute URIs, so they go in the help text.
      help: { text: `See ${rule.url}` },
      defaultConfiguration: { level: rule.severity === 'warn' ? 'warning' : 'error' },
    })),
    { id: fileErrorId, shortDescription: { text: 'The file cannot be read as a UTF-8 Markdown template.' }, defaultConfiguration: { level: 'error' } },
  ];
  const index = new Map(rules.map((rule, i) => [rule.id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'orch-prompt lint', version: options.version, rules } },
        results: results.flatMap((result) =>
          result.findings.map((finding) => ({
            ruleId: finding.ruleId,
            ...(index.has(finding.ruleId) ? { ruleIndex: index.get(finding.ruleId) } : {}),
            level: finding.severity === 'warning' ? 'warning' : 'error',
            message: { text: finding.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: isAbsolute(result.file) ? { uri: toUri(result.file) } : { uri: toUri(result.file), uriBaseId: '%SRCROOT%' },
                  region: { startLine: finding.place.line, startColumn: finding.place.column },
                },
              },
            ],
          })),
        ),
      },
    ],
  };
}

/** The SARIF log as text. */
export function formatSarif(results: readonly FileResult[], options: SarifOptions): string {
  return `${JSON.stringify(sarifLog(results, options), null, 2)}\n`;
}

function toUri(file: string): string {
  if (isAbsolute(file)) return pathToFileURL(file).href;
  return file.split(/[\\/]/).map(encodeURIComponent).join('/');
}

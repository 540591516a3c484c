import { lintSkillFolder, type SkillFileFindings } from '../lint/rules/skill-lint.js';
import { fileBytes, type SkillFile } from './skill-files.js';

export type { SkillFileFindings } from '../lint/rules/skill-lint.js';

/** Lint a skill folder held in memory with the skill lint rules (see `orch-prompt lint`). */
export function lintSkillFiles(folderName: string, files: readonly SkillFile[]): SkillFileFindings[] {
  return lintSkillFolder(
    folderName,
    files.map((f) => f.path),
    files.map((f) => ({ path: f.path, text: Buffer.from(fileBytes(f)).toString('utf8') })),
  );
}

/** Whether any finding is an error. */
export function hasErrors(results: readonly SkillFileFindings[]): boolean {
  return results.some((r) => r.findings.some((f) => f.severity === 'error'));
}

/** Findings as `path:line:column  severity  message  rule-id` lines. */
export function formatSkillFindings(base: string, results: readonly SkillFileFindings[]): string {
  const lines: string[] = [];
  for (const { file, findings } of results) {
    const shown = file === '' ? base : `${base}/${file}`;
    for (const f of findings) lines.push(`${shown}:${f.place.line}:${f.place.column}  ${f.severity}  ${f.message}  ${f.ruleId}`);
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

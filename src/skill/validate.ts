import { formatHuman } from '../lint/reporters/human.js';
import { lintSkillFolder, type SkillFileFindings } from '../lint/skill/skill-lint.js';
import { fileBytes, type SkillFile } from './skill-files.js';

export type { SkillFileFindings } from '../lint/skill/skill-lint.js';

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

/**
 * Findings in the `orch-prompt lint` format, files shown as `<base>/<path>`; empty when there
 * are none (so that a clean build prints nothing).
 */
export function formatSkillFindings(base: string, results: readonly SkillFileFindings[]): string {
  const found = results.filter((r) => r.findings.length > 0).map((r) => ({ file: r.file === '' ? base : `${base}/${r.file}`, findings: r.findings }));
  return found.length === 0 ? '' : formatHuman(found);
}

import { UserError } from '../errors/index.js';
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

/**
 * Lint, print, refuse: the check before a built skill is written anywhere (build, install,
 * pack, publish). Findings go to `print` in the lint format; any error refuses the command.
 *
 * @throws {UserError} `skill-invalid`: `the skill is not valid; nothing was <nothing>`.
 */
export function refuseInvalidSkill(folder: { name: string; files: readonly SkillFile[] }, options: { print(text: string): void; nothing: string; what?: string }): void {
  const findings = lintSkillFiles(folder.name, folder.files);
  options.print(formatSkillFindings(folder.name, findings));
  if (hasErrors(findings)) throw new UserError('skill-invalid', `${options.what ?? 'the skill'} is not valid; nothing was ${options.nothing}`);
}

import { statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { runRules, type RunRulesOptions } from '../lint/engine.js';
import type { Finding } from '../lint/rule.js';
import { isEntryLike, skillLintInput } from '../lint/rules/skill-input.js';
import { skillRules } from '../lint/rules/skill-rules.js';
import { fileBytes, type SkillFile } from './skill-files.js';
import { readFolder } from './sources.js';

/** Findings for one file of a skill folder (`file` is relative to the folder; `''` is the folder). */
export interface SkillFileFindings {
  file: string;
  findings: Finding[];
}

/** Whether a skill file is read by the rules (Markdown and YAML; the script and assets are not). */
function linted(path: string): boolean {
  return isEntryLike(path) || path.endsWith('.md') || path === 'agents/openai.yaml';
}

/**
 * Lint a skill folder held in memory with the skill rules: the checks of Codex's loader, the
 * Agent Skills spec, Codex's quick_validate.py, ClawHub's slug rule, `agents/openai.yaml` and
 * reference links. Only files with findings are returned.
 */
export function lintSkillFiles(folderName: string, files: readonly SkillFile[], options: RunRulesOptions = {}): SkillFileFindings[] {
  const paths = new Set(files.map((f) => f.path));
  const out: SkillFileFindings[] = [];
  // The folder itself: reports a missing entry point.
  const folderFindings = runRules(skillLintInput('', '', folderName, paths), skillRules, options);
  if (folderFindings.length > 0) out.push({ file: '', findings: folderFindings });
  for (const file of files) {
    if (!linted(file.path)) continue;
    const raw = Buffer.from(fileBytes(file)).toString('utf8');
    const findings = runRules(skillLintInput(file.path, raw, folderName, paths), skillRules, options);
    if (findings.length > 0) out.push({ file: file.path, findings });
  }
  return out;
}

/** A skill folder on disk, located from a path to the folder or to its `SKILL.md`. */
export function locateSkill(path: string): { dir: string; name: string } {
  const full = resolve(path);
  const dir = statSync(full).isDirectory() ? full : dirname(full);
  return { dir, name: basename(dir) };
}

/** Lint a skill folder on disk (given as the folder or its `SKILL.md`). */
export function lintSkillPath(path: string, options: RunRulesOptions = {}): SkillFileFindings[] {
  const { dir, name } = locateSkill(path);
  return lintSkillFiles(name, readFolder(dir), options);
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

import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { FileReadError, readTextBounded } from '../../fs/read-bounded.js';
import { walkFiles } from '../../fs/walk.js';
import { NestingError } from '../../markdown/limits.js';
import { maxTemplateBytes } from '../../templates/template-files.js';
import { runRules, type RunRulesOptions } from '../engine.js';
import { fileError, type FileResult } from '../result.js';
import type { LintTarget } from '../targets.js';
import { isEntryLike, skillLintInput } from './skill-input.js';
import { skillRules } from './skill-rules.js';

/** A file of a skill folder to lint: its `/`-separated path inside the folder and its text. */
export interface SkillSourceFile {
  path: string;
  text: string;
}

/** Findings for one file of a skill folder (`file` is relative to the folder; `''` is the folder). */
export interface SkillFileFindings {
  file: string;
  findings: FileResult['findings'];
}

/** Whether a skill file is read by the rules (Markdown and YAML; the script and assets are not). */
export function isLintedSkillFile(path: string): boolean {
  return isEntryLike(path) || path.endsWith('.md') || path === 'agents/openai.yaml';
}

/**
 * Lint a skill folder with the skill rules: Codex's loader, the Agent Skills spec, Codex's
 * quick_validate.py, ClawHub's slug rule, `agents/openai.yaml` and reference links. `paths` is
 * every file of the folder (links and icons resolve against it); `files` the ones to read. Every linted
 * file is returned, with or without findings; the folder itself (`''`) only with findings.
 */
export function lintSkillFolder(folderName: string, paths: readonly string[], files: readonly SkillSourceFile[], options: RunRulesOptions = {}): SkillFileFindings[] {
  const all = new Set(paths);
  const out: SkillFileFindings[] = [];
  // The folder itself: reports a missing entry point.
  const folderFindings = runRules(skillLintInput('', '', folderName, all), skillRules, options);
  if (folderFindings.length > 0) out.push({ file: '', findings: folderFindings });
  for (const file of files) {
    if (!isLintedSkillFile(file.path)) continue;
    let input;
    try {
      input = skillLintInput(file.path, file.text, folderName, all);
    } catch (error) {
      if (!(error instanceof NestingError)) throw error;
      out.push({ file: file.path, findings: [fileError(error.reason, error.place)] });
      continue;
    }
    out.push({ file: file.path, findings: runRules(input, skillRules, options) });
  }
  return out;
}

/** A skill's Markdown and YAML files are small; anything larger than a template may be is not read. */
export const maxSkillFileBytes = maxTemplateBytes;

/** A skill folder on disk, from a path to the folder or to its `SKILL.md`. */
export function locateSkill(path: string): { dir: string; name: string } {
  const full = resolve(path);
  const dir = statSync(full).isDirectory() ? full : dirname(full);
  return { dir, name: basename(dir) };
}

/**
 * Lint a skill folder on disk (given as the folder or its `SKILL.md`). The folder is read with
 * the one folder walk (`.git/`, `node_modules/` and dot-folders skipped, special files never
 * opened) and every file within the size limit; a file that cannot be read is a `file-error`.
 */
export function lintSkillDir(path: string, options: RunRulesOptions = {}): SkillFileFindings[] {
  const { dir, name } = locateSkill(path);
  const paths = walkFiles(dir).files.map((file) => relative(dir, file).split(sep).join('/'));
  const files: SkillSourceFile[] = [];
  const unreadable: SkillFileFindings[] = [];
  for (const file of paths.filter(isLintedSkillFile)) {
    try {
      files.push({ path: file, text: readTextBounded(join(dir, ...file.split('/')), { maxBytes: maxSkillFileBytes, what: 'a skill file' }) });
    } catch (error) {
      if (!(error instanceof FileReadError)) throw error;
      unreadable.push({ file, findings: [fileError(error.reason, error.place)] });
    }
  }
  return [...lintSkillFolder(name, paths, files, options), ...unreadable];
}

function hasEntry(dir: string): boolean {
  try {
    return readdirSync(dir).some(isEntryLike);
  } catch {
    return false;
  }
}

/** `orch-prompt lint` target for skill folders and `SKILL.md` files. */
export const skillTarget: LintTarget = {
  name: 'skill',
  claims: (path, isDirectory) => (isDirectory ? hasEntry(path) : isEntryLike(basename(path))),
  rules: skillRules,
  lint(paths, options) {
    const results: FileResult[] = [];
    const seen = new Set<string>();
    for (const path of paths) {
      const { dir } = locateSkill(path);
      if (seen.has(dir)) continue;
      seen.add(dir);
      for (const { file, findings } of lintSkillDir(dir, { severities: options.severities })) {
        results.push({ file: options.display(file === '' ? dir : join(dir, ...file.split('/'))), findings });
      }
    }
    return results;
  },
};

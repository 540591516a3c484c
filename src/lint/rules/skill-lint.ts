import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { runRules, type RunRulesOptions } from '../engine.js';
import type { FileResult } from '../result.js';
import type { LintTarget } from '../targets.js';
import { isEntryLike, skillLintInput, type SkillOnDisk } from './skill-input.js';
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

/** Options of {@link lintSkillFolder}. */
export interface LintSkillFolderOptions extends RunRulesOptions {
  /** Where the folder is on disk (rules about symbolic links and parent folders need it). */
  disk?: SkillOnDisk;
}

/**
 * Lint a skill folder with the skill rules: Codex's loader, the Agent Skills spec, Codex's
 * quick_validate.py, ClawHub's slug rule, `agents/openai.yaml` and reference links. `paths` is
 * every file of the folder (links and icons resolve against it); `files` the ones to read. Every linted
 * file is returned, with or without findings; the folder itself (`''`) only with findings.
 */
export function lintSkillFolder(folderName: string, paths: readonly string[], files: readonly SkillSourceFile[], options: LintSkillFolderOptions = {}): SkillFileFindings[] {
  const all = new Set(paths);
  const out: SkillFileFindings[] = [];
  const { disk, ...runOptions } = options;
  // The folder itself: a missing entry point, stray files, links, parent folders.
  const folderFindings = runRules(skillLintInput('', '', folderName, all, disk), skillRules, runOptions);
  if (folderFindings.length > 0) out.push({ file: '', findings: folderFindings });
  for (const file of files) {
    if (!isLintedSkillFile(file.path)) continue;
    out.push({ file: file.path, findings: runRules(skillLintInput(file.path, file.text, folderName, all, disk), skillRules, runOptions) });
  }
  return out;
}

/** A skill folder on disk, from a path to the folder or to its `SKILL.md`. */
export function locateSkill(path: string): { dir: string; name: string } {
  const full = resolve(path);
  const dir = statSync(full).isDirectory() ? full : dirname(full);
  return { dir, name: basename(dir) };
}

/** Lint a skill folder on disk (given as the folder or its `SKILL.md`). */
export function lintSkillDir(path: string, options: RunRulesOptions = {}): SkillFileFindings[] {
  const { dir, name } = locateSkill(path);
  const entries = readdirSync(dir, { recursive: true, withFileTypes: true });
  const inFolder = (entry: (typeof entries)[number]): string => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/');
  const paths = entries.filter((entry) => entry.isFile()).map(inFolder).sort();
  // Links are not followed into the file list: Codex skips a linked SKILL.md and clawhub does not
  // publish links, so they are reported instead (skill-symlinks).
  const links = new Set(entries.filter((entry) => entry.isSymbolicLink()).map(inFolder));
  const files = paths.filter(isLintedSkillFile).map((p) => ({ path: p, text: readFileSync(join(dir, ...p.split('/')), 'utf8') }));
  return lintSkillFolder(name, paths, files, { ...options, disk: { location: dir, links } });
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

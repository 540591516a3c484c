import { lstatSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileReadFailure, readTextBounded } from '../../fs/read-bounded.js';
import { walkFiles } from '../../fs/walk.js';
import { nestingFailure } from '../../markdown/limits.js';
import { maxTemplateBytes } from '../../templates/template-files.js';
import { runRules, type RunRulesOptions } from '../engine.js';
import { fileError, type FileResult } from '../result.js';
import type { LintTarget } from '../target.js';
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
    let input;
    try {
      input = skillLintInput(file.path, file.text, folderName, all, disk);
    } catch (error) {
      const nesting = nestingFailure(error);
      if (!nesting) throw error;
      out.push({ file: file.path, findings: [fileError(nesting.reason, nesting.place)] });
      continue;
    }
    out.push({ file: file.path, findings: runRules(input, skillRules, runOptions) });
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
 * opened), and each file it reads within the size limit (one that cannot be read is a
 * `file-error`). Links are not followed into the file list: Codex skips a linked SKILL.md and
 * clawhub does not publish links, so they are reported instead (skill-symlinks).
 */
export function lintSkillDir(path: string, options: RunRulesOptions = {}): SkillFileFindings[] {
  const { dir, name } = locateSkill(path);
  const walk = walkFiles(dir);
  const links = new Set<string>();
  const isLink = new Map<string, boolean>();
  // The first part of a path (the file, or a folder above it) that is a symbolic link.
  const linkIn = (rel: string): string | undefined => {
    const parts = rel.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const prefix = parts.slice(0, i).join('/');
      let link = isLink.get(prefix);
      if (link === undefined) {
        try {
          link = lstatSync(join(dir, ...parts.slice(0, i))).isSymbolicLink();
        } catch {
          link = false;
        }
        isLink.set(prefix, link);
      }
      if (link) return prefix;
    }
    return undefined;
  };
  const paths: string[] = [];
  for (const file of walk.files) {
    const rel = relative(dir, file).split(sep).join('/');
    const link = linkIn(rel);
    if (link === undefined) paths.push(rel);
    else links.add(link);
  }
  // Links the walk passed over: broken ones, and ones to a folder it had already read.
  for (const warning of walk.warnings) {
    const match = /^(.+?): skipped, (?:a broken symbolic link|a link to a folder already read)/.exec(warning);
    if (match) links.add(match[1] as string);
  }
  const files: SkillSourceFile[] = [];
  const unreadable: SkillFileFindings[] = [];
  for (const file of paths.filter(isLintedSkillFile)) {
    try {
      files.push({ path: file, text: readTextBounded(join(dir, ...file.split('/')), { maxBytes: maxSkillFileBytes, what: 'a skill file' }) });
    } catch (error) {
      const failure = fileReadFailure(error);
      if (!failure) throw error;
      unreadable.push({ file, findings: [fileError(failure.reason, failure.place)] });
    }
  }
  return [...lintSkillFolder(name, paths, files, { ...options, disk: { location: dir, links } }), ...unreadable];
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

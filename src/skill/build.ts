import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/write-atomic.js';
import { compileSkill } from './compile.js';
import { readBundledCli } from './script.js';
import { fileBytes, type SkillFolder } from './skill-files.js';
import { skillPackageRoot } from './sources.js';
import { writeFolderAtomic } from './write-folder.js';

/** Options of {@link buildSkill} and {@link checkSkill}. */
export interface BuildSkillOptions {
  /** Folder that receives `codex-orchestration/` (default: `dist/skill` in the package). */
  out?: string;
}

/** What {@link buildSkill} wrote. */
export interface BuildSkillResult {
  folder: SkillFolder;
  /** The skill folder written. */
  dir: string;
  /** The package's root `SKILL.md`, and whether it changed. */
  rootSkill: { path: string; changed: boolean };
}

/** Default output folder of `orch-prompt build`. */
export function defaultBuildOut(): string {
  return join(skillPackageRoot(), 'dist', 'skill');
}

/** The skill folder as the package ships it: compiled sources plus the bundled CLI. */
export function builtSkill(): SkillFolder {
  return compileSkill({ script: readBundledCli() });
}

/**
 * Write the compiled skill to `<out>/codex-orchestration/` (atomically, replacing what was
 * there) and the package's root `SKILL.md` (the same bytes as the built one).
 */
export function buildSkill(folder: SkillFolder, options: BuildSkillOptions = {}): BuildSkillResult {
  const dir = join(options.out ?? defaultBuildOut(), folder.name);
  writeFolderAtomic(dir, folder.files);
  const path = join(skillPackageRoot(), 'SKILL.md');
  const skill = skillMd(folder);
  const changed = !existsSync(path) || !readFileSync(path).equals(Buffer.from(skill));
  if (changed) writeFileAtomic(path, skill);
  return { folder, dir, rootSkill: { path, changed } };
}

/** A committed or built file that differs from what the sources compile to now. */
export interface StaleFile {
  path: string;
  reason: 'missing' | 'differs';
}

/**
 * Compare what the sources compile to with what is on disk: always the package's root
 * `SKILL.md` (committed), and every file of `<out>/codex-orchestration/` when `out` is given.
 * Compiling needs no bundling, so this is fast and runs in every test run.
 */
export function checkSkill(folder: SkillFolder, options: BuildSkillOptions = {}): StaleFile[] {
  const stale: StaleFile[] = [];
  const root = join(skillPackageRoot(), 'SKILL.md');
  if (!existsSync(root)) stale.push({ path: root, reason: 'missing' });
  else if (!readFileSync(root).equals(Buffer.from(skillMd(folder)))) stale.push({ path: root, reason: 'differs' });
  if (options.out !== undefined) {
    const dir = join(options.out, folder.name);
    for (const file of folder.files) {
      const path = join(dir, ...file.path.split('/'));
      if (!existsSync(path)) stale.push({ path, reason: 'missing' });
      else if (!readFileSync(path).equals(Buffer.from(fileBytes(file)))) stale.push({ path, reason: 'differs' });
    }
  }
  return stale;
}

function skillMd(folder: SkillFolder): Uint8Array {
  const file = folder.files.find((f) => f.path === 'SKILL.md');
  if (!file) throw new Error('compiled skill has no SKILL.md');
  return fileBytes(file);
}

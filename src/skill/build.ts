import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileReadFailure, readFileBounded } from '../fs/read-bounded.js';
import { writeFileAtomic } from '../fs/write-atomic.js';
import { compileSkill } from './compile.js';
import { readBundledCli } from './script.js';
import { fileBytes, type SkillFolder } from './skill-files.js';
import { skillPackageRoot } from './sources.js';
import { placeSkill, type InstallResult, type PlaceOptions } from './install.js';
import { backupDir } from './install-targets.js';

/** Options of {@link checkSkill}. */
export interface CheckSkillOptions {
  /** Folder that holds a built `codex-orchestration/` to compare too. */
  out?: string;
}

/** Options of {@link buildSkill}. */
export interface BuildSkillOptions extends PlaceOptions {
  /** Folder that receives `codex-orchestration/` (default: `dist/skill` in the package). */
  out?: string;
}

/** What {@link buildSkill} wrote. */
export interface BuildSkillResult {
  folder: SkillFolder;
  /** How the skill folder was written (the same shapes as an install). */
  placed: InstallResult;
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
 * Write the compiled skill to `<out>/codex-orchestration/` and the package's root `SKILL.md` (the
 * same bytes as the built one). The folder is written as `install` writes one (`placeSkill`): a
 * folder there that was edited, or not written by orch-prompt, is refused unless `force`, which
 * keeps it in `.orch-skill-backups/` beside `out`.
 *
 * @throws {UserError} when it refuses; nothing has changed then (beyond undoing an interrupted run).
 */
export function buildSkill(folder: SkillFolder, options: BuildSkillOptions): BuildSkillResult {
  const out = options.out ?? defaultBuildOut();
  const placed = placeSkill('build', folder, join(out, folder.name), backupDir(out), options);
  const path = join(skillPackageRoot(), 'SKILL.md');
  const skill = skillMd(folder);
  const changed = !existsSync(path) || !holds(path, skill);
  if (changed && options.dryRun !== true) writeFileAtomic(path, skill);
  return { folder, placed, rootSkill: { path, changed } };
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
export function checkSkill(folder: SkillFolder, options: CheckSkillOptions = {}): StaleFile[] {
  const stale: StaleFile[] = [];
  const root = join(skillPackageRoot(), 'SKILL.md');
  if (!existsSync(root)) stale.push({ path: root, reason: 'missing' });
  else if (!holds(root, skillMd(folder))) stale.push({ path: root, reason: 'differs' });
  if (options.out !== undefined) {
    const dir = join(options.out, folder.name);
    for (const file of folder.files) {
      const path = join(dir, ...file.path.split('/'));
      if (!existsSync(path)) stale.push({ path, reason: 'missing' });
      else if (!holds(path, fileBytes(file))) stale.push({ path, reason: 'differs' });
    }
  }
  return stale;
}

/**
 * Whether `path` is a regular file holding exactly `bytes`. Read bounded: a FIFO (which would
 * block the process in open(), deaf to Ctrl-C), a device or a larger file is never read; it
 * differs.
 */
function holds(path: string, bytes: Uint8Array): boolean {
  try {
    return readFileBounded(path, { maxBytes: bytes.length }).equals(bytes);
  } catch (error) {
    if (fileReadFailure(error)) return false;
    throw error;
  }
}

function skillMd(folder: SkillFolder): Uint8Array {
  const file = folder.files.find((f) => f.path === 'SKILL.md');
  if (!file) throw new Error('compiled skill has no SKILL.md');
  return fileBytes(file);
}

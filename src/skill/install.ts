import { join } from 'node:path';
import { installState, manifestFor, manifestName, type InstallState } from './install-state.js';
import { SkillError } from './skill-error.js';
import { sortFiles, type SkillFolder } from './skill-files.js';
import { backupDir, skillsDir, type TargetOptions } from './targets.js';
import { removeFolderAtomic, writeFolderAtomic } from './write-folder.js';

/** Options of {@link installSkill} and {@link uninstallSkill}. */
export interface InstallOptions extends TargetOptions {
  /** Replace (or remove) a folder the user changed or that we did not install; a backup is kept. */
  force?: boolean;
  /** Work out the plan and change nothing. */
  dryRun?: boolean;
  /** Package version recorded in the install manifest. */
  version: string;
  /** Clock for backup names (tests pass a fixed one). */
  now?: () => Date;
}

/** What an install or uninstall did (or, with `dryRun`, would do). */
export interface InstallResult {
  action: 'install' | 'update' | 'unchanged' | 'replace' | 'remove' | 'absent';
  /** The skill folder. */
  dir: string;
  /** What was there before. */
  before: InstallState;
  /** Where the replaced or removed folder was kept. */
  backup?: string;
  /** Files written (install) or removed (uninstall), relative to `dir`. */
  files: string[];
  dryRun: boolean;
}

function backupPath(options: InstallOptions, skills: string, name: string): string {
  const stamp = (options.now ?? (() => new Date()))().toISOString().replace(/[:.]/g, '-');
  return join(backupDir(skills), `${name}-${stamp}`);
}

function refuse(verb: string, dir: string, state: InstallState): never {
  const why =
    state.kind === 'edited'
      ? `its files were changed since it was installed (${state.changed.slice(0, 3).join(', ')}${state.changed.length > 3 ? ', ...' : ''})`
      : 'it was not installed by orch-prompt';
  throw new SkillError(`${verb}: ${dir} exists and ${why}; nothing was changed. Pass --force to ${verb === 'install' ? 'replace' : 'remove'} it (a backup is kept)`);
}

/**
 * Install a skill folder into a target's skills folder. Atomic (written beside, then renamed
 * into place), idempotent (an identical install is left alone), and it refuses to overwrite a
 * folder the user changed, or one it did not install, unless `force` (which keeps a backup).
 *
 * @throws {SkillError} when it refuses; nothing has changed then.
 */
export function installSkill(folder: SkillFolder, options: InstallOptions): InstallResult {
  const skills = skillsDir(options);
  const dir = join(skills, folder.name);
  const before = installState(dir, folder.files);
  const dryRun = options.dryRun === true;
  const files = folder.files.map((f) => f.path);
  const result = (action: InstallResult['action'], backup?: string): InstallResult => ({ action, dir, before, files, dryRun, ...(backup ? { backup } : {}) });
  if (before.kind === 'current') return result('unchanged');
  const manifest = manifestFor(folder.files, options.version);
  const withManifest = sortFiles([...folder.files, { path: manifestName, content: `${JSON.stringify(manifest, null, 2)}\n` }]);
  if (before.kind === 'edited' || before.kind === 'foreign') {
    if (!options.force) refuse('install', dir, before);
    const backup = backupPath(options, skills, folder.name);
    if (!dryRun) writeFolderAtomic(dir, withManifest, { keepOldAt: backup });
    return result('replace', backup);
  }
  if (!dryRun) writeFolderAtomic(dir, withManifest);
  return result(before.kind === 'absent' ? 'install' : 'update');
}

/**
 * Remove an installed skill. Refuses a folder the user changed or that was not installed by
 * orch-prompt unless `force` (which keeps a backup). Removing what is not there is not an error.
 *
 * @throws {SkillError} when it refuses; nothing has changed then.
 */
export function uninstallSkill(folder: SkillFolder, options: InstallOptions): InstallResult {
  const skills = skillsDir(options);
  const dir = join(skills, folder.name);
  const before = installState(dir, folder.files);
  const dryRun = options.dryRun === true;
  if (before.kind === 'absent') return { action: 'absent', dir, before, files: [], dryRun };
  const files = before.kind === 'foreign' ? [] : folder.files.map((f) => f.path);
  if (before.kind === 'edited' || before.kind === 'foreign') {
    if (!options.force) refuse('uninstall', dir, before);
    const backup = backupPath(options, skills, folder.name);
    if (!dryRun) removeFolderAtomic(dir, { keepOldAt: backup });
    return { action: 'remove', dir, before, files, dryRun, backup };
  }
  if (!dryRun) removeFolderAtomic(dir);
  return { action: 'remove', dir, before, files, dryRun };
}

import { existsSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors/index.js';
import { isLink, linkTarget } from '../fs/link-target.js';
import { installState, manifestFor, manifestName, type InstallState } from './install-state.js';
import { clearLeftovers, restoreInterrupted, type Leftovers } from './leftovers.js';
import { sortFiles, type SkillFolder } from './skill-files.js';
import { backupDir, skillsDir, type TargetOptions } from './install-targets.js';
import { removeFolderAtomic, writeFolderAtomic, type SwapStep, type WriteFolderOptions } from './write-folder.js';

/** Options of {@link placeSkill}: how a skill folder is written over what may be there. */
export interface PlaceOptions {
  /** Replace (or remove) a folder the user changed or that we did not write; a backup is kept. */
  force?: boolean;
  /** Work out the plan and change nothing. */
  dryRun?: boolean;
  /** Package version recorded in the manifest. */
  version: string;
  /** Clock for backup names (tests pass a fixed one). */
  now?: () => Date;
  /** Called after each step of the folder swap; tests end the process there, as a crash would. */
  onStep?: (step: SwapStep) => void;
}

/** Options of {@link installSkill} and {@link uninstallSkill}. */
export interface InstallOptions extends TargetOptions, PlaceOptions {}

/** What an install, uninstall or build did (or, with `dryRun`, would do). */
export interface InstallResult {
  action: 'install' | 'update' | 'unchanged' | 'replace' | 'remove' | 'absent';
  /** The skill folder. */
  dir: string;
  /** When `dir` is a symbolic link: the folder it points to, which is what was written (the link stays). */
  linkedTo?: string;
  /** What was there before. */
  before: InstallState;
  /** Where the replaced or removed folder was kept. */
  backup?: string;
  /** Files written (install) or removed (uninstall), relative to `dir`. */
  files: string[];
  /** What earlier, interrupted runs had left, and what became of it. */
  leftovers: Leftovers;
  dryRun: boolean;
}

/** Where a folder is kept when it is replaced or removed: `<backups>/<name>-<time>`, never reused. */
function backupNamer(backups: string, name: string, options: PlaceOptions): () => string {
  return () => {
    const stamp = (options.now ?? (() => new Date()))().toISOString().replace(/[:.]/g, '-');
    let path = join(backups, `${name}-${stamp}`);
    for (let n = 2; existsSync(path); n++) path = join(backups, `${name}-${stamp}-${n}`);
    return path;
  };
}

function refuse(verb: 'install' | 'uninstall' | 'build', dir: string, state: InstallState, restored: string | undefined): never {
  const why =
    state.kind === 'edited'
      ? `its files were changed since it was ${verb === 'build' ? 'built' : 'installed'} (${state.changed.slice(0, 3).join(', ')}${state.changed.length > 3 ? ', ...' : ''})`
      : `it was not ${verb === 'build' ? 'written' : 'installed'} by orch-prompt`;
  // Undoing a killed run's half swap is not a change of the user's folder: it is put back as it was.
  const undone = restored ? ` (an interrupted earlier run was undone first: the folder is back in place)` : '';
  throw new UserError('install-refused', `${verb}: ${dir} exists and ${why}; nothing was changed${undone}. Pass --force to ${verb === 'uninstall' ? 'remove' : 'replace'} it (a backup is kept)`);
}


/**
 * Write a skill folder to `dir`, the one code path of `install` and `build`: what is there is
 * recognised by its manifest ({@link manifestName}). Nothing there, or an unedited folder we
 * wrote: written (atomically, see `writeFolderAtomic`); identical: left alone; edited, or not
 * ours: refused unless `force`, which moves it to `backups` first. A symbolic link at `dir` is
 * followed (a skill kept in dotfiles is updated there; the link stays). Leftovers of killed runs
 * are put right first (see `src/skill/leftovers.ts`).
 *
 * @throws {UserError} `install-refused` when it refuses; nothing has changed then (beyond undoing an interrupted run).
 */
export function placeSkill(verb: 'install' | 'build', folder: SkillFolder, dir: string, backups: string, options: PlaceOptions): InstallResult {
  const found = lookAt(dir, folder, options);
  const { before, restored, dryRun, target } = found;
  const files = folder.files.map((f) => f.path);
  const backupPath = backupNamer(backups, folder.name, options);
  if (before.kind === 'current') return resultOf(found, 'unchanged', files, clearLeftovers(target, backupPath, { dryRun }));
  const replacing = before.kind === 'edited' || before.kind === 'foreign';
  if (replacing && !options.force) refuse(verb, dir, before, dryRun ? undefined : restored);
  const leftovers = clearLeftovers(target, backupPath, { dryRun });
  const manifest = manifestFor(folder.files, options.version);
  const withManifest = sortFiles([...folder.files, { path: manifestName, content: `${JSON.stringify(manifest, null, 2)}\n` }]);
  const backup = replacing ? backupPath() : undefined;
  if (!dryRun) writeFolderAtomic(dir, withManifest, swapOptions(options, backup));
  return resultOf(found, replacing ? 'replace' : before.kind === 'absent' ? 'install' : 'update', files, leftovers, backup);
}

/**
 * Install a skill folder into a target's skills folder: see {@link placeSkill}. Backups go to
 * `.orch-skill-backups/` beside the skills folder (never inside it, where Codex would list them).
 *
 * @throws {UserError} `install-refused` when it refuses; nothing has changed then (beyond undoing an interrupted run).
 */
export function installSkill(folder: SkillFolder, options: InstallOptions): InstallResult {
  const skills = skillsDir(options);
  return placeSkill('install', folder, join(skills, folder.name), backupDir(skills), options);
}

/**
 * Remove an installed skill. Refuses a folder the user changed or that was not installed by
 * orch-prompt unless `force` (which keeps a backup). Removing what is not there is not an error.
 * A symbolic link (a skill kept in dotfiles) is removed as a link: the folder it points to stays.
 *
 * @throws {UserError} `install-refused` when it refuses; nothing has changed then (beyond undoing an interrupted run).
 */
export function uninstallSkill(folder: SkillFolder, options: InstallOptions): InstallResult {
  const skills = skillsDir(options);
  const dir = join(skills, folder.name);
  const found = lookAt(dir, folder, options);
  const { before, restored, dryRun, target, linkedTo } = found;
  const backupPath = backupNamer(backupDir(skills), folder.name, options);
  if (before.kind === 'absent') {
    // A dangling link is still an entry in the skills folder: remove it.
    if (linkedTo !== undefined && !dryRun) unlinkSync(dir);
    return resultOf(found, linkedTo !== undefined ? 'remove' : 'absent', [], clearLeftovers(target, backupPath, { dryRun }));
  }
  const replacing = before.kind === 'edited' || before.kind === 'foreign';
  if (replacing && !options.force) refuse('uninstall', dir, before, dryRun ? undefined : restored);
  const leftovers = clearLeftovers(target, backupPath, { dryRun });
  if (linkedTo !== undefined) {
    // The folder behind the link is the user's (dotfiles): only the entry goes, nothing is lost.
    if (!dryRun) unlinkSync(dir);
    return resultOf(found, 'remove', [], leftovers);
  }
  const backup = replacing ? backupPath() : undefined;
  if (!dryRun) removeFolderAtomic(dir, swapOptions(options, backup));
  return resultOf(found, 'remove', before.kind === 'foreign' ? [] : folder.files.map((f) => f.path), leftovers, backup);
}

/** What is at a skill folder's place, after an interrupted earlier run was undone. */
interface Found {
  dir: string;
  /** The real folder (through a link). */
  target: string;
  /** Set when `dir` is a symbolic link. */
  linkedTo: string | undefined;
  restored: string | undefined;
  before: InstallState;
  dryRun: boolean;
}

function lookAt(dir: string, folder: SkillFolder, options: PlaceOptions): Found {
  const dryRun = options.dryRun === true;
  const target = linkTarget(dir);
  const restored = restoreInterrupted(target, { dryRun });
  // In a dry run nothing was put back: judge the folder that would have been.
  const before = installState(dryRun && restored ? restored : dir, folder.files);
  return { dir, target, linkedTo: isLink(dir) ? target : undefined, restored, before, dryRun };
}

function resultOf(found: Found, action: InstallResult['action'], files: string[], leftovers: Omit<Leftovers, 'restored'>, backup?: string): InstallResult {
  return {
    action,
    dir: found.dir,
    ...(found.linkedTo !== undefined ? { linkedTo: found.linkedTo } : {}),
    before: found.before,
    ...(backup ? { backup } : {}),
    files,
    leftovers: { ...(found.restored ? { restored: found.restored } : {}), ...leftovers },
    dryRun: found.dryRun,
  };
}

function swapOptions(options: PlaceOptions, backup: string | undefined): WriteFolderOptions {
  return { ...(backup ? { keepOldAt: backup } : {}), ...(options.onStep ? { onStep: options.onStep } : {}) };
}

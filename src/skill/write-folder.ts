import { chmodSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileBytes, type SkillFile } from './skill-files.js';

let counter = 0;

/** Options of {@link writeFolderAtomic}. */
export interface WriteFolderOptions {
  /** Where the folder being replaced goes instead of being deleted (a backup). */
  keepOldAt?: string;
}

/**
 * Replace the folder `dest` with exactly `files`: they are written into a hidden sibling folder
 * first, which is then renamed into place, so a reader (Codex scanning its skills) sees the old
 * folder or the new one, never a half-written one. The old folder is renamed away before the
 * swap and deleted (or moved to `keepOldAt`) after it; on failure it is put back.
 */
export function writeFolderAtomic(dest: string, files: readonly SkillFile[], options: WriteFolderOptions = {}): void {
  const parent = dirname(dest);
  mkdirSync(parent, { recursive: true });
  const stamp = `${process.pid}-${++counter}`;
  // Hidden names: skill loaders skip dot-folders, so neither copy is ever listed as a skill.
  const fresh = join(parent, `.${basename(dest)}.new-${stamp}`);
  const old = join(parent, `.${basename(dest)}.old-${stamp}`);
  try {
    for (const file of files) {
      const target = join(fresh, ...file.path.split('/'));
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, fileBytes(file));
      if (file.executable) chmodSync(target, 0o755);
    }
    const hadOld = existsSync(dest);
    if (hadOld) renameSync(dest, old);
    try {
      renameSync(fresh, dest);
    } catch (error) {
      if (hadOld) renameSync(old, dest);
      throw error;
    }
    if (hadOld) {
      if (options.keepOldAt) {
        mkdirSync(dirname(options.keepOldAt), { recursive: true });
        renameSync(old, options.keepOldAt);
      } else rmSync(old, { recursive: true, force: true });
    }
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
}

/** Remove a folder so that it disappears at once: rename it away, then delete it. */
export function removeFolderAtomic(dest: string, options: WriteFolderOptions = {}): void {
  const old = join(dirname(dest), `.${basename(dest)}.old-${process.pid}-${++counter}`);
  renameSync(dest, old);
  if (options.keepOldAt) {
    mkdirSync(dirname(options.keepOldAt), { recursive: true });
    renameSync(old, options.keepOldAt);
  } else rmSync(old, { recursive: true, force: true });
}

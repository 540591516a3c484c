import { existsSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { UserError } from '../errors/index.js';
import { walkFiles } from '../fs/walk.js';
import { packageRoot } from '../templates/package-root.js';
import { sortFiles, type SkillFile } from './skill-files.js';

/**
 * The codex-orchestration package this code runs from. A copy of the skill's single-file script
 * has none: building, installing and packing need the package's sources.
 */
export function skillPackageRoot(): string {
  try {
    return packageRoot();
  } catch {
    throw new UserError('skill-package-missing', 'this needs the codex-orchestration package (npx orch-prompt ...); a copy of the skill script cannot build, install or pack the skill');
  }
}

/** The skill sources shipped with the package (`skill/`). */
export function skillSourceDir(): string {
  return join(skillPackageRoot(), 'skill');
}

/**
 * Every file below a folder, as skill files with `/`-separated relative paths, sorted. The one
 * folder walk (`src/fs/walk.ts`): dot-folders skipped, links followed once, bounded.
 */
export function readFolder(dir: string): SkillFile[] {
  if (!existsSync(dir)) throw new UserError('skill-package-missing', `${dir}: folder does not exist`);
  const files = walkFiles(dir).files.map((full) => ({ path: relative(dir, full).split(sep).join('/'), content: readFileSync(full) }));
  return sortFiles(files);
}

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { packageRoot } from '../templates/builtin.js';
import { SkillError } from './skill-error.js';
import { sortFiles, type SkillFile } from './skill-files.js';

/** The skill sources shipped with the package (`skill/`). */
export function skillSourceDir(): string {
  let root: string;
  try {
    root = packageRoot();
  } catch {
    throw new SkillError('the skill sources are not here: run this command from the codex-orchestration package (npx orch-prompt ...), not from a copy of the skill');
  }
  return join(root, 'skill');
}

/** Every file below a folder, as skill files with `/`-separated relative paths, sorted. */
export function readFolder(dir: string): SkillFile[] {
  if (!existsSync(dir)) throw new SkillError(`${dir}: folder does not exist`);
  const files = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const full = join(entry.parentPath, entry.name);
      return { path: relative(dir, full).split(sep).join('/'), content: readFileSync(full) };
    });
  return sortFiles(files);
}

import { lstatSync, statSync } from 'node:fs';

/** The project's own templates folder, relative to the project, read by default when present. */
export const projectTemplatesDir = '.orch/templates';

/**
 * What stands at the project's templates path: a folder (or a link to one: the loader refuses
 * that with its own warning), nothing, or what else, for a warning (a project whose templates
 * are silently not read would get prompts it did not write).
 */
export function projectTemplatesFolder(path: string): 'folder' | 'absent' | string {
  try {
    if (!lstatSync(path).isSymbolicLink()) return statSync(path).isDirectory() ? 'folder' : 'a file';
  } catch {
    return 'absent';
  }
  try {
    return statSync(path).isDirectory() ? 'folder' : 'a link to a file';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ELOOP' ? 'a link loop' : 'a link to nothing';
  }
}

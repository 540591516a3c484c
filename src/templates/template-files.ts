import { walkFiles, type WalkResult } from '../fs/walk.js';

/** Templates are a few KB; anything past this is not a template and is not read. */
export const maxTemplateBytes = 1024 * 1024;

/** Whether a file name is a Markdown template (`.md` in any letter case). */
export function isTemplateFileName(name: string): boolean {
  return /\.md$/i.test(name);
}

/**
 * The template files below a folder, sorted: the one folder walk (symbolic links followed once,
 * `.git`, `node_modules` and dot-folders skipped, special files named in `warnings` and never
 * opened).
 */
export function listTemplateFiles(root: string): WalkResult {
  return walkFiles(root, { match: isTemplateFileName });
}

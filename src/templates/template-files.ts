import { join } from 'node:path';
import { walkFiles, type WalkResult } from '../fs/walk.js';

/**
 * Templates are a few KB, and a prompt's whole budget is about 48 KB; anything past this is not
 * a template and is not read. The limit is also what bounds parsing: the Markdown parser keeps
 * about half a kilobyte per byte of the worst input (a file of tiny headings and lists) and
 * takes seconds per 100 KB of it, so every command that auto-loads a project's templates
 * stays within tens of megabytes and a second or two, whatever the project holds.
 */
export const maxTemplateBytes = 128 * 1024;

/** Whether a file name is a Markdown template (`.md` in any letter case). */
export function isTemplateFileName(name: string): boolean {
  return /\.md$/i.test(name);
}

/**
 * The template files below a folder, sorted: the one folder walk (symbolic links followed once,
 * unless `followLinks` is false: then each is listed in `others`; `.git`, `node_modules` and
 * dot-folders skipped, special files named in `warnings` and never opened).
 */
export function listTemplateFiles(root: string, followLinks = true): WalkResult {
  return walkFiles(root, { match: isTemplateFileName, followLinks });
}

/**
 * What a folder-walk warning means for templates: a template file passed over (`x.md: skipped,
 * not a regular file`: a FIFO, a device, a broken link), or something about the walk itself (a
 * link loop, a folder too deep, a limit), reported on `root`. `undefined` for a file that is
 * not a template (a broken link named `notes.txt` is no business of ours).
 */
export function walkWarning(root: string, warning: string): { path: string; reason: string; about: 'file' | 'folder' } | undefined {
  const match = /^(.+?): ((?:skipped|cannot list)\b.*)$/.exec(warning);
  if (!match || /^(?:skipped, a link to a folder|skipped, deeper than|cannot list)/.test(match[2] as string)) return { path: root, reason: warning, about: 'folder' };
  const path = join(root, match[1] as string);
  return isTemplateFileName(path) ? { path, reason: match[2] as string, about: 'file' } : undefined;
}

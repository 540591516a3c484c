import { statSync } from 'node:fs';
import { join } from 'node:path';
import { builtinTemplates } from '../templates/builtin-set.js';
import type { LoadedTemplates } from '../templates/model.js';
import { projectTemplatesDir } from '../templates/project-templates.js';

/** The templates a call uses, and the folders they came from. */
export interface ServerTemplates {
  templates: LoadedTemplates;
  /** Template folders layered over the built-ins (recorded in a run). */
  dirs: string[];
}

/**
 * The templates that apply in the served folder, read again on every call (so an edit shows at
 * once): the built-ins, then `.orch/templates/` when there is one, as the CLI reads them by
 * default. A file that cannot be loaded is a problem in the result, never a failed call.
 */
export async function serverTemplates(root: string): Promise<ServerTemplates> {
  const dir = join(root, projectTemplatesDir);
  if (!isFolder(dir)) return { templates: { ...builtinTemplates(), overrides: [], problems: [] }, dirs: [] };
  const { loadTemplates } = await import('../templates/load.js');
  return { templates: loadTemplates([dir], { cwd: root, dataDirs: [dir] }), dirs: [dir] };
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

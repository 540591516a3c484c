import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { builtinTemplates } from '../templates/builtin-set.js';
import type { TemplateSet } from '../templates/model.js';
import { UsageError } from './errors.js';
import type { CliIo } from './io.js';

/** The project's own templates folder, read by default when present. */
export const projectTemplatesDir = '.orch/templates';

/**
 * `--templates DIR` values found in raw argv. Role prompts need them before the full flag table
 * is known, because project roles add flags of their own.
 */
export function scanTemplatesFlag(argv: readonly string[]): string[] {
  const dirs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') break;
    if (arg === '--templates') {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('-')) throw new UsageError('--templates needs a folder');
      dirs.push(value);
      i++;
    } else if (arg.startsWith('--templates=')) {
      dirs.push(arg.slice('--templates='.length));
    }
  }
  return dirs;
}

/** Folders of templates that apply: `.orch/templates/` when it exists, then `extra` in order. */
export function templateDirs(extra: readonly string[], io: CliIo): string[] {
  if (extra.some((dir) => dir.trim() === '')) throw new UsageError('--templates needs a folder');
  const dirs: string[] = [];
  const project = resolve(io.cwd, projectTemplatesDir);
  if (existsSync(project) && statSync(project).isDirectory()) dirs.push(project);
  return [...dirs, ...extra.map((dir) => resolve(io.cwd, dir))];
}

/** Load the templates that apply; the Markdown parser is only loaded when a folder is given. */
export async function loadCliTemplates(extra: readonly string[], io: CliIo): Promise<TemplateSet> {
  const dirs = templateDirs(extra, io);
  if (dirs.length === 0) return builtinTemplates();
  const { loadTemplates } = await import('../templates/load.js');
  return loadTemplates(dirs);
}

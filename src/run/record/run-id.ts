import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../errors/index.js';

/** Default folder of run records, relative to the current folder. */
export const runsDir = '.orch/runs';

/** A run id: UTC timestamp plus a random suffix, sortable by start time. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${Math.random().toString(16).slice(2, 8)}`;
}

/**
 * The project's folder of run records, `<cwd>/.orch/runs`, when neither it nor `.orch` is a link:
 * a repository could ship one pointing anywhere, and runs would then be written (and read) there.
 *
 * @throws {UserError} `run-folder-unsafe` naming the link.
 */
export function projectRunsDir(cwd: string, where: string): string {
  let path = cwd;
  for (const part of runsDir.split('/')) {
    path = join(path, part);
    let link = false;
    try {
      link = lstatSync(path).isSymbolicLink();
    } catch {
      break; // not there yet: made as a folder when the first run starts
    }
    if (link) throw new UserError('run-folder-unsafe', `${where}: ${path} is a symbolic link; run records are never written or read through one (remove it, or give a folder of your own)`, { data: { path } });
  }
  return join(cwd, runsDir);
}

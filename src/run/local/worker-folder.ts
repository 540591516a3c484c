import { lstatSync, realpathSync } from 'node:fs';
import { isInside } from '../../fs/path-inside.js';

/**
 * Why a worker must not start in `cwd` now, or null: the folder was checked when the run was
 * planned, but a worker of an earlier stage (or one running beside it) may since have turned it,
 * or a folder above it, into a link, and a writer's sandbox is its working folder. So, just
 * before codex starts: `cwd` is still a folder, and once links are followed it lies inside
 * `boundary` (the worker's worktree when it has one, else the project), itself no link.
 */
export function workerFolderProblem(cwd: string, boundary: string): string | null {
  let real: string;
  let root: string;
  try {
    if (lstatSync(boundary).isSymbolicLink()) return `${boundary} has become a symbolic link since the run was planned`;
    root = realpathSync(boundary);
    real = realpathSync(cwd);
    if (!lstatSync(real).isDirectory()) return `${cwd} is no longer a folder`;
  } catch {
    return `${cwd} is gone`;
  }
  if (!isInside(real, root)) return `${cwd} now leads to ${real}, outside ${boundary} (a link made since the run was planned)`;
  return null;
}

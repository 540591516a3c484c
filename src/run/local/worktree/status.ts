import { git, gitReason } from '../../git/git.js';

/** What one `git status` says of a worktree after its worker. */
export type WorktreeStatus = { ok: true; head: string; branch: string | null; changed: boolean; ignored: boolean } | { ok: false; error: string };

/**
 * The worktree's HEAD commit and branch (null: detached), whether anything differs from it (staged, unstaged or untracked
 * and not ignored), and whether ignored files are there: one `git status --porcelain=v2`.
 */
export async function worktreeStatus(path: string, env: Readonly<Record<string, string | undefined>>): Promise<WorktreeStatus> {
  const status = await git(['status', '--porcelain=v2', '--branch', '-z', '--untracked-files=all', '--ignored=matching'], { cwd: path, env });
  if (!status.ok) return { ok: false, error: `worktree: git status in ${path}: ${gitReason(status)}` };
  let head = '';
  let branch: string | null = null;
  let changed = false;
  let ignored = false;
  for (const entry of status.stdout.split('\0')) {
    if (entry.startsWith('# branch.oid ')) head = entry.slice('# branch.oid '.length);
    else if (entry.startsWith('# branch.head ') && entry !== '# branch.head (detached)') branch = entry.slice('# branch.head '.length);
    else if (entry.startsWith('! ')) ignored = true;
    else if (/^[12u?] /.test(entry)) changed = true;
  }
  return { ok: true, head, branch, changed, ignored };
}

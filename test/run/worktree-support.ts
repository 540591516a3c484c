import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { copyGitRepo, gitEnv } from '../support/git-template.js';
import { tempDir } from './helpers.js';

export { gitEnv };

/**
 * A temporary repository with `files` committed on `main` (a copy of the run's template for
 * those files); returns its folder and git's environment, which holds no system or user
 * configuration: nothing above TMPDIR changes a test's result.
 */
export function tempRepo(files: Record<string, string> = { 'shared.txt': 'base\n' }): { repo: string; env: Record<string, string>; git(...args: string[]): string } {
  const dir = tempDir();
  const env = gitEnv(dir);
  const repo = join(dir, 'repo');
  mkdirSync(repo);
  copyGitRepo(repo, files);
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: repo, env: { ...process.env, ...env }, encoding: 'utf8' }).trim();
  return { repo, env, git };
}

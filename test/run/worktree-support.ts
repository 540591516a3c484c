import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { gitEnv, gitTemplates } from '../support/git-template.js';
import { tempDir } from './helpers.js';

/** A temporary repository: its folder, git's environment, and git run in it. */
export interface TempRepo {
  repo: string;
  env: Record<string, string>;
  git(...args: string[]): string;
}

/**
 * A maker of temporary repositories for one test file (call it at the top level): each has
 * `files` committed on `main`, copied from a template made once per set of files, and git's
 * environment holds no system or user configuration (nothing above TMPDIR changes a result).
 */
export function tempRepos(): { tempRepo(files?: Record<string, string>): TempRepo } {
  const templates = gitTemplates();
  return {
    tempRepo(files = { 'shared.txt': 'base\n' }) {
      const dir = tempDir();
      const env = gitEnv(dir);
      const repo = join(dir, 'repo');
      mkdirSync(repo);
      templates.copy(repo, files);
      const git = (...args: string[]): string => execFileSync('git', args, { cwd: repo, env: { ...process.env, ...env }, encoding: 'utf8' }).trim();
      return { repo, env, git };
    },
  };
}

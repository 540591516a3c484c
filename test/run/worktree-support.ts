import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './helpers.js';

/** Git with no system or user configuration: nothing above TMPDIR changes a test's result. */
export function gitEnv(dir: string): Record<string, string> {
  const config = join(dir, 'gitconfig');
  writeFileSync(config, '[user]\n\tname = Test\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n');
  return { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: config };
}

/** A temporary repository with `files` committed on `main`; returns its folder and git's environment. */
export function tempRepo(files: Record<string, string> = { 'shared.txt': 'base\n' }): { repo: string; env: Record<string, string>; git(...args: string[]): string } {
  const dir = tempDir();
  const env = gitEnv(dir);
  const repo = join(dir, 'repo');
  mkdirSync(repo);
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: repo, env: { ...process.env, ...env }, encoding: 'utf8' }).trim();
  git('init', '--quiet');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(repo, path, '..'), { recursive: true });
    writeFileSync(join(repo, path), text);
  }
  git('add', '-A');
  git('commit', '--quiet', '-m', 'base');
  return { repo, env, git };
}

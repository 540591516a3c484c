import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Git with no system or user configuration (a config file in `dir`), on branch `main`. */
export function gitEnv(dir: string): Record<string, string> {
  const config = join(dir, 'gitconfig');
  writeFileSync(config, '[user]\n\tname = Test\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n');
  return { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: config };
}

/**
 * Make `repo` (created if missing) a git repository on `main` with `files` in its one commit.
 * Each set of files is committed once per test run (git init, add, commit: three processes),
 * into the run's cache folder that the global setup makes and removes (`ORCH_TEST_CACHE`), and
 * every later repository of those files is a copy of it (no process).
 */
export function copyGitRepo(repo: string, files: Readonly<Record<string, string>>): void {
  const cache = process.env['ORCH_TEST_CACHE'];
  if (cache === undefined || cache === '') {
    // Not under the suite's global setup: commit in place, git's configuration made beside.
    const config = mkdtempSync(join(tmpdir(), 'orch-git-config-'));
    try {
      commit(repo, files, config);
    } finally {
      rmSync(config, { recursive: true, force: true });
    }
    return;
  }
  const key = createHash('sha256').update(JSON.stringify(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1)))).digest('hex').slice(0, 16);
  const template = join(cache, 'git', key);
  if (!existsSync(template)) {
    // Made beside it and renamed into place: another test file may make the same one at once.
    mkdirSync(join(cache, 'git'), { recursive: true });
    const fresh = mkdtempSync(join(cache, 'git', `.${key}-`));
    commit(join(fresh, 'repo'), files, fresh);
    try {
      renameSync(join(fresh, 'repo'), template);
    } catch {
      // made by the other one first: theirs is the same
    }
    rmSync(fresh, { recursive: true, force: true });
  }
  cpSync(template, repo, { recursive: true });
}

function commit(repo: string, files: Readonly<Record<string, string>>, configDir: string): void {
  mkdirSync(repo, { recursive: true });
  const env = { ...process.env, ...gitEnv(configDir) };
  const git = (...args: string[]): void => void execFileSync('git', args, { cwd: repo, env, stdio: 'ignore' });
  git('init', '--quiet');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(repo, path, '..'), { recursive: true });
    writeFileSync(join(repo, path), text);
  }
  git('add', '-A');
  git('commit', '--quiet', '-m', 'base');
}

import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** Git with no system or user configuration (a config file in `dir`), on branch `main`. */
export function gitEnv(dir: string): Record<string, string> {
  const config = join(dir, 'gitconfig');
  writeFileSync(config, '[user]\n\tname = Test\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n');
  return { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: config };
}

/** Makes git repositories by copying a template: see {@link gitTemplates}. */
export interface GitTemplates {
  /**
   * Make `repo` (created if missing) a repository on `main` with `files` in its one commit: a
   * copy of the template for these files, made with git the first time they are asked for.
   */
  copy(repo: string, files: Readonly<Record<string, string>>): void;
}

/**
 * Template git repositories for one test file: each set of files is committed once (git init,
 * add, commit: three processes) and every test gets a copy of it (no process). Call at the top
 * level of a test file; the templates are removed when the file ends.
 */
export function gitTemplates(): GitTemplates {
  let scratch: string | undefined;
  const made = new Map<string, string>();
  afterAll(() => {
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  });
  const template = (files: Readonly<Record<string, string>>): string => {
    const key = JSON.stringify(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1)));
    const found = made.get(key);
    if (found !== undefined) return found;
    scratch ??= mkdtempSync(join(tmpdir(), 'orch-git-templates-'));
    const dir = join(scratch, String(made.size));
    const repo = join(dir, 'repo');
    mkdirSync(repo, { recursive: true });
    const env = { ...process.env, ...gitEnv(dir) };
    const git = (...args: string[]): void => void execFileSync('git', args, { cwd: repo, env, stdio: 'ignore' });
    git('init', '--quiet');
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(repo, path, '..'), { recursive: true });
      writeFileSync(join(repo, path), text);
    }
    git('add', '-A');
    git('commit', '--quiet', '-m', 'base');
    made.set(key, repo);
    return repo;
  };
  return {
    copy(repo, files) {
      cpSync(template(files), repo, { recursive: true });
    },
  };
}

import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { UserError } from '../errors/index.js';

/** Where a skill can be installed. */
export const installTargets = ['codex', 'agents', 'openclaw'] as const;
export type InstallTarget = (typeof installTargets)[number];

/** Options that choose the skills folder. */
export interface TargetOptions {
  target: InstallTarget;
  /** Install into the project in `cwd` instead of the user's home. */
  project?: boolean;
  /** Skills folder to use instead of the target's. */
  dest?: string;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
}

/** The user's home: `HOME` when set (tests and sandboxes set it), else the OS's answer. */
export function homeDir(env: TargetOptions['env']): string {
  return env['HOME'] || env['USERPROFILE'] || homedir();
}

/** `CODEX_HOME`, or `~/.codex` as Codex defaults it. */
export function codexHome(env: TargetOptions['env']): string {
  return env['CODEX_HOME'] ? resolve(env['CODEX_HOME']) : join(homeDir(env), '.codex');
}

/**
 * The skills folder of a target: `codex` -> `$CODEX_HOME/skills`; `agents` -> `~/.agents/skills`
 * (with `project`: `.agents/skills` in the project; Codex reads both); `openclaw` -> the
 * workspace's `skills/` (`$OPENCLAW_WORKSPACE`, default `~/.openclaw/workspace`; with `project`:
 * `skills/` in the current folder, which is then the workspace).
 */
export function skillsDir(options: TargetOptions): string {
  if (options.dest !== undefined) return resolve(options.cwd, options.dest);
  switch (options.target) {
    case 'codex':
      if (options.project) throw new UserError('usage', '--project does not apply to --target codex (Codex reads project skills from .agents/skills): use --target agents --project');
      return join(codexHome(options.env), 'skills');
    case 'agents':
      return options.project ? join(options.cwd, '.agents', 'skills') : join(homeDir(options.env), '.agents', 'skills');
    case 'openclaw': {
      if (options.project) return join(options.cwd, 'skills');
      const workspace = options.env['OPENCLAW_WORKSPACE'];
      return workspace ? join(resolve(options.cwd, workspace), 'skills') : join(homeDir(options.env), '.openclaw', 'workspace', 'skills');
    }
  }
}

/**
 * Where replaced or removed installs are kept: beside the skills folder, never inside it, so
 * that a backup is never listed as a second skill of the same name.
 */
export function backupDir(skills: string): string {
  return join(dirname(skills), '.orch-skill-backups');
}

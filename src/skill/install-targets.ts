import { dirname, join, resolve } from 'node:path';
import { userHome } from '../fs/home.js';

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

/** `CODEX_HOME`, or `~/.codex` as Codex defaults it. */
export function codexHome(env: TargetOptions['env']): string {
  return env['CODEX_HOME'] ? resolve(env['CODEX_HOME']) : join(userHome(env), '.codex');
}

/**
 * The skills folder of a target: `codex` -> `$CODEX_HOME/skills` (with `project`:
 * `.agents/skills` in the project, where Codex reads a project's skills); `agents` ->
 * `~/.agents/skills` (with `project`: `.agents/skills` in the project; Codex reads both);
 * `openclaw` -> the workspace's `skills/` (`$OPENCLAW_WORKSPACE`, default
 * `~/.openclaw/workspace`; with `project`: `skills/` in the current folder, which is then the
 * workspace).
 */
export function skillsDir(options: TargetOptions): string {
  if (options.dest !== undefined) return resolve(options.cwd, options.dest);
  switch (options.target) {
    case 'codex':
      return options.project ? join(options.cwd, '.agents', 'skills') : join(codexHome(options.env), 'skills');
    case 'agents':
      return options.project ? join(options.cwd, '.agents', 'skills') : join(userHome(options.env), '.agents', 'skills');
    case 'openclaw': {
      if (options.project) return join(options.cwd, 'skills');
      const workspace = options.env['OPENCLAW_WORKSPACE'];
      return workspace ? join(resolve(options.cwd, workspace), 'skills') : join(userHome(options.env), '.openclaw', 'workspace', 'skills');
    }
  }
}

/**
 * The Codex custom agents folder of a target, when it has one: `codex` -> `$CODEX_HOME/agents`
 * (with `project`: `.codex/agents` in the project, read by Codex in a trusted project). Other
 * targets, and a skills folder of the user's choosing (`dest`), get no agents.
 */
export function agentsDir(options: TargetOptions): string | undefined {
  if (options.target !== 'codex' || options.dest !== undefined) return undefined;
  return options.project ? join(options.cwd, '.codex', 'agents') : join(codexHome(options.env), 'agents');
}

/**
 * Where replaced or removed installs are kept: beside the skills folder, never inside it, so
 * that a backup is never listed as a second skill of the same name.
 */
export function backupDir(skills: string): string {
  return join(dirname(skills), '.orch-skill-backups');
}

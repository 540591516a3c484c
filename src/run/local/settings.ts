import { defaultWatchdogMs, durationRanges } from '../settings/duration.js';
import type { RunSettings } from '../settings/run-settings.js';
import type { Setting } from '../settings/setting.js';
import type { Isolation } from './model.js';

/** How many finished, unchanged worktrees a repository's pool keeps by default (`worktree-pool`). */
export const defaultPoolSize = 4;

/** The local executor's settings (`codex exec` here), as {@link localSettings} reads them. */
export interface LocalSettings {
  /** Ends a worker with no progress for this long, in ms: the model is out of reach (0: off). */
  watchdogMs: number;
  /** Time between SIGTERM and SIGKILL when stopping a worker, in ms. */
  graceMs: number;
  /** `codex exec -p`. */
  profile?: string;
  /** `codex exec -c KEY=VALUE`, in order. */
  config: readonly string[];
  /** `--dangerously-bypass-approvals-and-sandbox`: only inside an outer sandbox. */
  yolo: boolean;
  /** Editing workers each in a git worktree of their own. */
  isolation: Isolation;
  /** Copy uncommitted changes into each worktree instead of refusing a dirty tree. */
  fromDirty: boolean;
  /** How many unchanged worktrees the repository's pool keeps. */
  worktreePool: number;
}

/** The local executor's run settings, declared once. */
export const localSettingsTable: readonly Setting[] = [
  { name: 'isolation', key: 'isolation', flag: true, type: { kind: 'choice', choices: ['none', 'worktree'] }, default: 'none', resume: false, value: 'MODE', description: 'worktree: each editing worker works in a git worktree of its own, made from HEAD, and what it changes is committed on a branch of its own, so writers run at once even on overlapping paths (see `runs apply`).' },
  { name: 'from-dirty', key: 'fromDirty', type: { kind: 'boolean' }, default: false, resume: false, description: 'With worktrees: copy uncommitted changes into each worktree instead of refusing a dirty tree.' },
  { name: 'worktree-pool', key: 'worktreePool', type: { kind: 'integer', min: 0, max: 64 }, default: defaultPoolSize, resume: true, value: 'N', description: 'With worktrees: keep up to N worktrees whose worker changed nothing for later workers to take over (0: remove each one).' },
  { name: 'profile', key: 'profile', flag: true, short: 'p', type: { kind: 'text' }, resume: false, value: 'NAME', description: 'codex exec -p.' },
  { name: 'config', key: 'config', flag: true, short: 'c', type: { kind: 'list' }, default: [], resume: false, value: 'KEY=VALUE', description: 'Codex config override (codex exec -c).' },
  { name: 'watchdog', key: 'watchdogMs', type: { kind: 'duration', range: durationRanges.watchdog }, default: defaultWatchdogMs, resume: true, value: 'DURATION', description: 'End a worker that shows no progress for this long (only reconnect notices, no command running): the model is out of reach. 1s to 24h; 0 turns it off.' },
  { name: 'grace', key: 'graceMs', type: { kind: 'duration', range: durationRanges.grace }, default: 5000, resume: true, value: 'DURATION', description: 'On timeout or Ctrl-C, wait this long (at most 1h) after SIGTERM before SIGKILL.' },
  { name: 'yolo', key: 'yolo', type: { kind: 'boolean' }, default: false, resume: false, description: 'Turn approvals and the sandbox off (--dangerously-bypass-approvals-and-sandbox). Only in an outer sandbox.' },
];

/** The local executor's settings of a run (each one was read and checked with its setting). */
export function localSettings(settings: RunSettings): LocalSettings {
  const own = settings.executors['local'] ?? {};
  const value = <T>(key: string, fallback: T): T => (own[key] as T | undefined) ?? fallback;
  const profile = own['profile'] as string | undefined;
  return {
    watchdogMs: value('watchdogMs', defaultWatchdogMs),
    graceMs: value('graceMs', 5000),
    ...(profile !== undefined ? { profile } : {}),
    config: value<readonly string[]>('config', []),
    yolo: value('yolo', false),
    isolation: value<Isolation>('isolation', 'none'),
    fromDirty: value('fromDirty', false),
    worktreePool: value('worktreePool', defaultPoolSize),
  };
}

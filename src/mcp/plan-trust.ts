import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors/index.js';
import type { Plan, Setting, SettingValue } from '../run/index.js';
import { executorRefusal, settingRefusal, workerKeyRefusal } from './allowed.js';
import type { ServerContext } from './context.js';
import { findGitDir } from './git-dir.js';
import { checkRunRef, targetInside } from './trust.js';

/** What the checks of a plan need from the server. */
export type TrustContext = Pick<ServerContext, 'root' | 'kinds' | 'gitDir' | 'env'>;

/**
 * What a plan may not ask of this server, by name: a setting or a worker key that is not
 * allowed (allowed.ts), a worker on an executor that is not, results handed over from a run
 * named by path. Checked before the settings are read, so a refused one is refused whatever its value.
 *
 * @throws {UserError} `mcp-refused`, or `usage` for a `from` that is not a run id.
 */
export function checkPlanTrust(plan: Plan, context: TrustContext, where: string): void {
  for (const name of Object.keys(plan.settings ?? {})) {
    // An unknown name is left to the settings' own reader, which names the closest.
    const setting = context.kinds.settings.find((s) => s.name === name);
    const why = setting === undefined ? null : settingRefusal(setting);
    if (why !== null) throw new UserError('mcp-refused', `${where}: settings.${name} cannot be given to this server: ${why}`, { data: { setting: name } });
  }
  for (const [i, stage] of plan.stages.entries()) {
    for (const [j, worker] of stage.workers.entries()) {
      const at = `${where}: stages[${i}].workers[${j}]`;
      for (const key of Object.keys(worker)) {
        const why = workerKeyRefusal(key, context.kinds.executors, context.root);
        if (why !== null) throw new UserError('mcp-refused', `${at}.${key} cannot be given to this server: ${why}`, { data: { key } });
      }
      const executor = worker.executor !== undefined ? executorRefusal(worker.executor) : null;
      if (executor !== null) throw new UserError('mcp-refused', `${at}: executor: ${executor}`, { data: { key: 'executor' } });
      if (worker.from !== undefined) checkRunRef(worker.from, `${at}.from`);
    }
  }
}

/**
 * The settings given, checked for what they may not say once read (an executor this server does
 * not run, a price file outside the folder), with the price file as the file it leads to, which
 * is then the one read. Without one, the folder's `.orch/prices.json` when there is one, checked alike.
 *
 * @throws {UserError} `mcp-refused`.
 */
export function checkSettingValues(given: ReadonlyArray<[Setting, SettingValue]>, context: TrustContext, where: string): Array<[Setting, SettingValue]> {
  const checked: Array<[Setting, SettingValue]> = [];
  for (const [setting, value] of given) {
    if (setting.name === 'executor') {
      const why = executorRefusal(String(value).split(':')[0] ?? '');
      if (why !== null) throw new UserError('mcp-refused', `${where}: settings.executor: ${why}`, { data: { setting: 'executor' } });
    }
    checked.push([setting, setting.name === 'prices' ? targetInside(context.root, String(value), `${where}: settings.prices`) : value]);
  }
  const prices = context.kinds.settings.find((s) => s.name === 'prices');
  const project = join(context.root, '.orch', 'prices.json');
  if (prices !== undefined && !checked.some(([s]) => s === prices) && lexists(project)) checked.push([prices, targetInside(context.root, join('.orch', 'prices.json'), `${where}: .orch/prices.json`)]);
  return checked;
}

function lexists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Worktree isolation runs git in the folder's repository while planning (`git worktree add`,
 * `git status`), and git runs what the repository's config says (core.fsmonitor, hooks). So it
 * is taken only in the repository the folder was in when the server started, whose git folder
 * Codex keeps read-only, and only while that is still the same real folder: never in one the
 * sandboxed model could have made (when the server started outside any repository, or since).
 *
 * @throws {UserError} `mcp-refused`.
 */
export function checkIsolation(plan: Plan, given: ReadonlyArray<[Setting, SettingValue]>, context: TrustContext, where: string): void {
  const asked = given.some(([s, value]) => s.name === 'isolation' && value === 'worktree') || plan.stages.some((stage) => stage.workers.some((w) => w['isolation'] === 'worktree'));
  if (!asked) return;
  const refuse = (why: string): never => {
    throw new UserError('mcp-refused', `${where}: worktree isolation cannot be used here: ${why}; run without it, or use \`orch-prompt run --isolation worktree\` outside the sandbox`, { data: { setting: 'isolation' } });
  };
  if (context.gitDir === null) refuse(`${context.root} was in no git repository when this server started, and a repository made since is not trusted (git would run what its config says)`);
  const now = findGitDir(context.root, context.env);
  if (now !== context.gitDir) refuse(`the git repository of ${context.root} is not the one it was in when this server started (${context.gitDir} then, ${now ?? 'none'} now)`);
}

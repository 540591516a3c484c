import type { PlanKinds, Setting } from '../run/index.js';

// What a request to this server may ask for, as allow-lists: the server runs outside Codex's
// sandbox for a model inside it, and Codex approves its calls without asking the user (the
// entry `install --mcp` writes says `default_tools_approval_mode = "approve"`). A setting or a
// plan worker key that is not listed here is refused, a new one too, until someone has checked
// that a sandboxed model may choose it.

/** Run settings a request may give, by name (each is checked as the CLI checks it). */
export const allowedSettings: ReadonlySet<string> = new Set([
  'max-parallel',
  'timeout',
  'retries',
  'retry-delay',
  'fail-fast',
  'budget',
  // A file inside the served folder only (see plan-trust.ts).
  'prices',
  'model',
  'reasoning-effort',
  // Only ever narrows a worker's sandbox.
  'sandbox',
  'structured',
  'merge',
  // Only an allowed executor (see allowedExecutors).
  'executor',
  // worktree only in the repository the folder was in when the server started (see git-dir.ts).
  'isolation',
  'from-dirty',
  'worktree-pool',
  'watchdog',
  'grace',
]);

/** Keys of a plan worker a request may give. */
export const allowedWorkerKeys: ReadonlySet<string> = new Set(['id', 'role', 'lenses', 'params', 'task', 'scope', 'context', 'paths', 'inputs', 'into', 'from', 'model', 'reasoning-effort', 'sandbox', 'executor', 'isolation']);

/** Executors a request may run workers with. */
export const allowedExecutors: ReadonlySet<string> = new Set(['local']);

/** Why a setting is refused, for those refused for a reason of their own. */
const settingReasons: Readonly<Record<string, string>> = {
  'codex-bin': 'it names a program the server would run outside the sandbox (the server runs $CODEX_BIN, else codex on PATH)',
  yolo: "it turns the workers' sandbox and approvals off",
  config: "a Codex config override can change a worker's sandbox, tools or MCP servers",
  profile: "a Codex profile can change a worker's sandbox, tools or MCP servers",
};

/** Why a plan worker key is refused, for those refused for a reason of their own. */
function workerKeyReason(key: string, root: string): string | undefined {
  if (key !== 'cd') return undefined;
  // The model may write below the folder (not its own .codex or .git): a worker started in a
  // subfolder would load that subfolder's .codex/config.toml, whose MCP servers run outside the sandbox.
  return `its workers run in the folder it serves, ${root}, never below it (a folder the model can write may hold a .codex/config.toml or .git whose commands would run outside the sandbox); name what a worker looks at in its params, scope or paths instead`;
}

/** Why executors are refused. */
const executorReasons: Readonly<Record<string, string>> = {
  cloud: "a Codex Cloud task runs in the user's cloud environment, with its secrets, its network and the repository's remote branches, which the session's sandbox does not bound; start cloud workers with `orch-prompt run` outside the sandbox",
};

const notReviewed = 'it is not on the list of what this server takes from a sandboxed model (src/mcp/allowed.ts)';

/** Why a request may not run workers with the executor `kind`, or null when it may. */
export function executorRefusal(kind: string): string | null {
  if (allowedExecutors.has(kind)) return null;
  return `this server does not run \`${kind}\` workers: ${executorReasons[kind] ?? notReviewed}`;
}

/** Why a request may not give `setting`, or null when it may. */
export function settingRefusal(setting: Setting): string | null {
  if (allowedSettings.has(setting.name)) return null;
  if (setting.owner !== undefined && !allowedExecutors.has(setting.owner)) return `it is for \`${setting.owner}\` workers, which this server does not run: ${executorReasons[setting.owner] ?? notReviewed}`;
  return settingReasons[setting.name] ?? notReviewed;
}

/** Why a request may not give the plan worker key `key`, or null when it may. */
export function workerKeyRefusal(key: string, executors: PlanKinds, root: string): string | null {
  if (allowedWorkerKeys.has(key)) return null;
  const owner = executors.find((e) => e.planKeys[key] !== undefined)?.kind;
  if (owner !== undefined && !allowedExecutors.has(owner)) return executorRefusal(owner);
  return workerKeyReason(key, root) ?? notReviewed;
}

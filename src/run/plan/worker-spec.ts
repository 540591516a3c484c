import { existsSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../../errors/index.js';
import { isInside } from '../../fs/path-inside.js';
import type { RenderResult } from '../../prompt/render.js';
import type { TemplateSet } from '../../templates/model.js';
import { checkArgumentValue } from '../executor/argument-value.js';
import { executorOf, type Executor } from '../executor/executor.js';
import type { ReasoningEffort, SandboxMode, WorkerSpec } from '../record/model.js';
import type { RunSettings } from '../settings/run-settings.js';

/** What a worker chose for itself over its role (a plan worker's keys), and where it is written. */
export interface WorkerChoices {
  where: string;
  model?: string;
  reasoningEffort?: ReasoningEffort;
  sandbox?: SandboxMode;
  /** `executor:` of a plan worker; absent: the run's. */
  executor?: string;
  /** Its keys that belong to an executor (`env`, `isolation`, ...). */
  executorKeys: Readonly<Record<string, unknown>>;
  /** Where its executor was chosen, when not where the worker is (`--executor cloud` for a role's workers). */
  executorWhere?: string;
}

/** What making a worker's spec needs from the run. */
export interface SpecContext {
  templates: TemplateSet;
  settings: RunSettings;
  executors: readonly Executor[];
}

/**
 * A worker's spec from its rendered prompt and its choices: the sandbox its role implies,
 * narrowed by the role, the plan worker and the run; the model and effort (the command line over
 * the plan worker over the role); its executor (the plan worker's, else the run's `executor`,
 * `KIND[:ARG]`) and what that executor makes of its keys.
 *
 * @throws {UserError} a widened sandbox, an unknown executor, a key of another executor.
 */
export function workerSpec(base: { id: string; stage: number; stageName: string; cwd: string; paths: string[] }, result: RenderResult, choices: WorkerChoices, context: SpecContext): WorkerSpec {
  const { settings } = context;
  const role = context.templates.roles[result.role];
  const sandbox = sandboxOf(result.edits, [role?.sandbox, choices.sandbox, settings.sandbox], choices.where);
  const [defaultKind, defaultArg] = splitExecutor(settings.executor);
  const kind = choices.executor ?? defaultKind;
  // `--executor cloud:ENV` gives the environment to every cloud worker, a plan's included.
  const arg = kind === defaultKind ? defaultArg : undefined;
  const where = choices.executorWhere ?? choices.where;
  const executor = executorOf(context.executors, kind);
  if (executor === undefined) throw new UserError('worker-invalid', `run: ${where}: no executor \`${kind}\`, expected one of ${context.executors.map((e) => `\`${e.kind}\``).join(', ')}`);
  for (const key of Object.keys(choices.executorKeys)) {
    if (executor.planKeys[key] === undefined) {
      const owner = context.executors.find((e) => e.planKeys[key] !== undefined);
      throw new UserError('worker-invalid', `run: ${choices.where}: \`${key}\` is for \`executor: ${owner?.kind ?? '?'}\` only; this worker runs with \`executor: ${kind}\``);
    }
  }
  const config = executor.configure({ keys: choices.executorKeys, arg, settings, where, edits: result.edits });
  const spec: WorkerSpec = { ...base, role: result.role, lenses: result.lenses, prompt: result.prompt, edits: result.edits, sandbox, executor: { kind, config } };
  const model = settings.model ?? choices.model ?? role?.model;
  if (model !== undefined) spec.model = checkArgumentValue(model, '`model`', choices.where);
  const effort = settings.reasoningEffort ?? choices.reasoningEffort ?? role?.reasoningEffort;
  if (effort !== undefined) spec.reasoningEffort = effort;
  if (settings.structured && result.outputSchema) spec.outputSchema = result.outputSchema as Record<string, unknown>;
  if (role?.webSearch !== undefined) spec.webSearch = role.webSearch;
  return spec;
}

/** `cloud:ENV` as `['cloud', 'ENV']`; `local` as `['local', undefined]`. */
export function splitExecutor(value: string): [string, string | undefined] {
  const at = value.indexOf(':');
  return at === -1 ? [value, undefined] : [value.slice(0, at), value.slice(at + 1)];
}

/**
 * The sandbox of a worker: what `edits` implies, narrowed by each request in turn (the role's,
 * the plan worker's, the command line's). A request to widen it is refused: a plan must not turn
 * a reviewer into a writer.
 */
function sandboxOf(edits: boolean, requests: ReadonlyArray<SandboxMode | undefined>, where: string): SandboxMode {
  let sandbox: SandboxMode = edits ? 'workspace-write' : 'read-only';
  for (const request of requests) {
    if (request === undefined) continue;
    if (request === 'workspace-write' && sandbox === 'read-only') {
      throw new UserError('worker-invalid', `run: ${where}: \`sandbox: workspace-write\` would widen a read-only worker; a sandbox may only be narrowed (give the role \`edits: true\` to let it write)`);
    }
    sandbox = request;
  }
  return sandbox;
}

/**
 * The folder a plan worker runs in: its `cd`, which must stay inside the project (after
 * following symbolic links), or an editing worker would get a writable sandbox on any folder.
 */
export function workerFolder(project: string, cd: string | undefined, where: string): string {
  const cwd = resolve(project, cd ?? '.');
  if (!existsSync(cwd)) throw new UserError('worker-invalid', `${where}: \`cd: ${cd ?? '.'}\`: no such folder`);
  if (!isInside(realpathSync(cwd), realpathSync(project))) {
    throw new UserError('worker-invalid', `${where}: \`cd: ${cd ?? '.'}\` leads outside the project folder ${project}; a worker runs in the project or below it`);
  }
  return cwd;
}

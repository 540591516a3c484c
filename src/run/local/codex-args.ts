import type { WorkerSpec } from '../record/model.js';
import type { WorkerPaths } from '../record/worker-files.js';
import type { RunSettings } from '../settings/run-settings.js';
import type { LocalConfig } from './model.js';
import { localSettings } from './settings.js';

/**
 * Codex features that give an agent sub-agents (`spawn_agent`, `wait_agent`, ...), as the pinned
 * Codex names them in `codex features list` (a test checks the names). Workers run with them
 * disabled: a worker must not become an orchestrator.
 */
export const subAgentFeatures = ['multi_agent', 'multi_agent_v2'] as const;

/** The sandbox a local worker gets, as recorded: its spec's, unless `yolo` lifts it. */
export function sandboxFor(spec: Pick<WorkerSpec, 'sandbox'>, settings: RunSettings): string {
  return localSettings(settings).yolo ? 'none (--yolo)' : spec.sandbox;
}

/**
 * The `codex exec` argument array of one worker. The prompt is never an argument: it goes on
 * stdin (`-`), because an argument over 128 KiB fails with E2BIG and Codex reads a non-TTY stdin
 * anyway.
 */
export function codexArgs(spec: WorkerSpec, settings: RunSettings, paths: Pick<WorkerPaths, 'lastMessage' | 'schema'>): string[] {
  const local = localSettings(settings);
  const config = spec.executor.config as LocalConfig;
  const args = ['exec', '--json', '-o', paths.lastMessage];
  if (settings.structured && spec.outputSchema) args.push('--output-schema', paths.schema);
  if (local.yolo) args.push('--dangerously-bypass-approvals-and-sandbox');
  else args.push('--sandbox', spec.sandbox);
  for (const feature of subAgentFeatures) args.push('--disable', feature);
  args.push('-C', spec.cwd);
  if (!config.inGitRepo) args.push('--skip-git-repo-check');
  if (spec.model !== undefined) args.push('-m', spec.model);
  if (local.profile !== undefined) args.push('-p', local.profile);
  // Before the user's -c entries, so that one of them can still override them.
  if (spec.reasoningEffort !== undefined) args.push('-c', `model_reasoning_effort="${spec.reasoningEffort}"`);
  if (spec.webSearch !== undefined) args.push('-c', `web_search="${spec.webSearch}"`);
  for (const entry of local.config) args.push('-c', entry);
  args.push('-');
  return args;
}

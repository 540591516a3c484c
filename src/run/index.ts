// The runner's front door: what the CLI uses, and what any other front end (an MCP server, a
// script) uses the same way. Plan a run, start it, follow its events, wait for it or stop it.

export { executors } from './executors.js';
export type { Applied, Cleaned, Executor } from './executor/executor.js';
export { runKinds, type RunKinds } from './executor/kinds.js';
export { coreSettings, defaultSettings, setValue, settingsTable, valueOf, type RunSettings } from './settings/run-settings.js';
export { readSetting, settingNamed, showSetting, type Budget, type Setting, type SettingValue } from './settings/setting.js';
export { formatDuration, parseDuration } from './settings/duration.js';
export { builtinPrices, loadPrices, type PriceTable } from './settings/prices.js';
export { checkPlan, coreWorkerKeys, loadPlan, type Plan, type PlanKinds, type PlanStage, type PlanWorker } from './plan/plan-file.js';
export type { PlannedWorker, WorkSource } from './plan/plan-workers.js';
export { planRun, type PlanRunOptions, type RunPlan } from './plan/run-plan.js';
export { planResume, type PlanResumeOptions } from './plan/resume-plan.js';
export { handOverFrom } from './plan/hand-over.js';
export { defaultIntoFor, withReceived } from './plan/worker-prompt.js';
export { preflightRun, type RunPreflight } from './core/preflight-run.js';
export { startRun, type RunHandle, type RunResult, type StartRunOptions } from './core/start-run.js';
export { applyWorker, cleanRun } from './core/results.js';
export type { RunEvent } from './record/reducer.js';
export { effectiveStatus, readManifest } from './record/manifest.js';
export type { Manifest, RenderRecipe, RunStatus, WorkerInputs, WorkerRecord, WorkerSpec, WorkerStatus } from './record/model.js';
export { listRuns, runDirNamed, type RunRow } from './record/run-list.js';
export { newRunId, projectRunsDir, runsDir } from './record/run-id.js';
export { openRunToChange, type RunToChange } from './record/trusted-run.js';
export { runTotals, type UsageTotals } from './record/usage.js';
export { finalMessageToPassOn } from './record/worker-files.js';
export { cleanPool, type DrainedSlot } from './local/worktree/pool.js';
export { codexHome } from './local/codex-home.js';


import { join } from 'node:path';
import { UserError } from '../../errors/index.js';
import { checkReady, planNewRun } from '../../front/new-run.js';
import { planSettings } from '../../front/run-settings.js';
import { checkPlan, listRuns, newRunId } from '../../run/index.js';
import type { ServerContext } from '../context.js';
import { findRunDir, runState, viewOf } from '../locate.js';
import { serverTemplates } from '../templates.js';
import { stateKey } from '../run-view.js';
import { defineTool, type JsonSchema } from '../tool.js';
import { allowedSettings } from '../allowed.js';
import { checkIsolation, checkPlanTrust, checkSettingValues } from '../plan-trust.js';
import { checkPlanSize, checkWorkerCount } from '../plan-limits.js';
import { ended, maxWaitSeconds, watchRun } from '../watch.js';
import { runArgument, runViewSchema, waitArgument, workerSchema } from './run-schemas.js';

interface StartInput {
  workers?: unknown[];
  stages?: unknown[];
  context?: Record<string, string>;
  settings?: Record<string, unknown>;
  wait_seconds?: number;
}

/** `start_run`'s schema: a plan as a plan file holds it (stages, or one stage's workers), and a wait. */
export function startRunSchema(context: Pick<ServerContext, 'kinds'>): JsonSchema {
  const worker = workerSchema(context.kinds.executors);
  return {
    type: 'object',
    additionalProperties: false,
    properties: {
      workers: { type: 'array', minItems: 1, items: worker, description: 'The workers of a one-stage run, all in parallel (same as stages: [{name: "main", workers}]).' },
      stages: {
        type: 'array',
        minItems: 1,
        description: 'Stages in order, the workers of each in parallel (review, then fix, then verify). Give workers or stages.',
        items: { type: 'object', required: ['name', 'workers'], additionalProperties: false, properties: { name: { type: 'string', description: 'Lower-case letters, digits, dashes.' }, workers: { type: 'array', minItems: 1, items: worker } } },
      },
      context: { type: 'object', additionalProperties: { type: 'string' }, description: 'Context pack for every worker: goal, non-goals, constraints, pointers, decisions, success.' },
      settings: {
        type: 'object',
        additionalProperties: { type: ['string', 'number', 'boolean', 'array'] },
        description: `Run settings by name, as a plan file's settings: (${context.kinds.settings.filter((s) => allowedSettings.has(s.name)).map((s) => s.name).join(', ')}; the others are refused here). E.g. {"timeout": "10m", "max-parallel": 2, "budget": 200000}.`,
      },
      wait_seconds: waitArgument(0, maxWaitSeconds, 'Wait up to this long for the run to end before returning (0: return at once).'),
    },
  };
}

/** `start_run`: `orch-prompt run --plan`, with the plan given as data. */
export function startRunTool(context: Pick<ServerContext, 'kinds'>) {
  const inputSchema = startRunSchema(context);
  return defineTool<StartInput>({
    name: 'start_run',
    description:
      "Start codex exec workers outside the sandbox, recorded in .orch/runs/<run>/ of this project like `orch-prompt run --plan`: each worker's prompt is rendered and checked first (nothing starts when one is invalid), read-only roles run in a read-only sandbox, editing roles in workspace-write. Returns the run id and each worker's state; with wait_seconds, waits up to that long for the run to end and returns the final messages of the workers that ended. The run goes on after the call returns: follow it with wait_run or get_run, stop it with cancel_run.",
    inputSchema,
    // The plan's own content is checked as a plan file's is (`plan-invalid`), after this.
    checkedSchema: { ...inputSchema, properties: { ...inputSchema.properties, workers: { type: 'array' }, stages: {}, context: {}, settings: {} } },
    outputSchema: { ...runViewSchema, properties: { ...runViewSchema.properties, warnings: { type: 'array', items: { type: 'string' } } } },
    annotations: { title: 'Start workers', readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    async call(input, ctx, extras) {
      if ((input.workers === undefined) === (input.stages === undefined)) throw new UserError('usage', 'start_run: give `workers` (one stage) or `stages`, one of the two');
      const data = { ...(input.context ? { context: input.context } : {}), ...(input.settings ? { settings: input.settings } : {}), stages: input.stages ?? [{ name: 'main', workers: input.workers }] };
      checkPlanSize(data, 'start_run');
      const plan = checkPlan(data, 'start_run', ctx.kinds.executors);
      checkWorkerCount(plan, 'start_run');
      ctx.runs.checkRoom();
      checkPlanTrust(plan, ctx, 'start_run');
      const given = checkSettingValues(planSettings(ctx.kinds.settings, plan.settings, 'start_run'), ctx, 'start_run');
      checkIsolation(plan, given, ctx, 'start_run');
      const { templates, dirs } = await serverTemplates(ctx.root);
      const runDir = join(ctx.runsRoot('start_run'), newRunId());
      const planned = planNewRun({ source: { kind: 'plan', plan, file: 'start_run', context: {} }, templates, templateDirs: dirs, kinds: ctx.kinds, given, cwd: ctx.root, env: ctx.env, runDir, argv: ['mcp', 'start_run'] });
      const run = ctx.runs.start(planned, await checkReady(planned, ctx.env));
      const warnings = [...planned.workers.flatMap((w) => w.warnings.map((warning) => `${w.spec.id}: ${warning}`)), ...run.handle.warnings];
      const { state } = await watchRun(ctx, runDir, input.wait_seconds ?? 0, extras, ended, 'start_run');
      return { ...viewOf(runDir, state), warnings };
    },
  });
}

/** `get_run`: `orch-prompt runs show RUN --format json`, with the final messages. */
export const getRun = defineTool<{ run: string }>({
  name: 'get_run',
  description: "A run now, from this server or read back from its folder (after a restart too): its status, each worker's status, error, usage and, once the worker has ended, its final message.",
  inputSchema: { type: 'object', required: ['run'], additionalProperties: false, properties: { run: runArgument } },
  outputSchema: runViewSchema,
  annotations: { title: 'Show a run', readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  async call(input, ctx) {
    const runDir = findRunDir(ctx, input.run, 'get_run');
    return viewOf(runDir, runState(ctx, runDir, 'get_run'));
  },
});

/** `wait_run`: bounded; returns at the first change of a worker's state, or at the limit. */
export const waitRun = defineTool<{ run: string; wait_seconds?: number }>({
  name: 'wait_run',
  description: `Wait on a run until a worker starts or ends, the run ends, or wait_seconds pass (at most ${maxWaitSeconds}), whichever comes first, then return it as get_run does, with changed: whether anything changed. A run that has already ended returns at once. Call it again while the status is running.`,
  inputSchema: { type: 'object', required: ['run'], additionalProperties: false, properties: { run: runArgument, wait_seconds: waitArgument(30, maxWaitSeconds, 'The longest to wait.') } },
  outputSchema: { ...runViewSchema, required: [...(runViewSchema.required ?? []), 'changed'], properties: { ...runViewSchema.properties, changed: { type: 'boolean' } } },
  annotations: { title: 'Wait on a run', readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  async call(input, ctx, extras) {
    const runDir = findRunDir(ctx, input.run, 'wait_run');
    const before = runState(ctx, runDir, 'wait_run');
    if (ended(before)) return { ...viewOf(runDir, before), changed: false };
    const key = stateKey(before.manifest, before.status);
    const { state, met } = await watchRun(ctx, runDir, input.wait_seconds ?? 30, extras, (now) => ended(now) || stateKey(now.manifest, now.status) !== key, 'wait_run');
    return { ...viewOf(runDir, state), changed: met };
  },
});

/** `cancel_run`: Ctrl-C for a run this server started. */
export const cancelRun = defineTool<{ run: string; wait_seconds?: number }>({
  name: 'cancel_run',
  description: "Stop a run this server started, as Ctrl-C stops `orch-prompt run`: running workers get SIGTERM (SIGKILL after their grace), workers not started never start, and the record says canceled. Waits up to wait_seconds for it to end and returns it as get_run does. A run that has already ended is returned as it is.",
  inputSchema: { type: 'object', required: ['run'], additionalProperties: false, properties: { run: runArgument, wait_seconds: waitArgument(15, 60, 'How long to wait for the workers to stop.') } },
  outputSchema: runViewSchema,
  annotations: { title: 'Cancel a run', readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  async call(input, ctx, extras) {
    const runDir = findRunDir(ctx, input.run, 'cancel_run');
    const state = runState(ctx, runDir, 'cancel_run');
    if (ended(state)) return viewOf(runDir, state);
    if (!ctx.runs.cancel(runDir)) throw new UserError('run-still-running', `cancel_run: run ${state.manifest.id} is run by another process, not this server; stop it where it runs (Ctrl-C in its terminal)`);
    return viewOf(runDir, (await watchRun(ctx, runDir, input.wait_seconds ?? 15, extras, ended, 'cancel_run')).state);
  },
});

/** `list_runs`: `orch-prompt runs --format json`. */
export const listRunsTool = defineTool<{ limit?: number }>({
  name: 'list_runs',
  description: "The runs recorded in this project's .orch/runs/, newest first: id, status (interrupted: its process stopped before it ended; unreadable: its record cannot be read), start and end, workers, roles, usage.",
  inputSchema: { type: 'object', additionalProperties: false, properties: { limit: { type: 'integer', minimum: 1, maximum: 200, default: 20, description: 'At most this many (the newest).' } } },
  outputSchema: { type: 'object', required: ['runs', 'total'], properties: { runs: { type: 'array', items: { type: 'object' } }, total: { type: 'integer' } } },
  annotations: { title: 'List runs', readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  async call(input, ctx) {
    const rows = listRuns(ctx.runsRoot('list_runs'), ctx.kinds);
    return { runs: rows.slice(0, input.limit ?? 20), total: rows.length };
  },
});

import { isAbsolute, relative, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { UserError } from '../../errors/index.js';
import { fileReadFailure, readTextBounded } from '../../fs/read-bounded.js';
import { reasoningEfforts } from '../../templates/frontmatter-schema.js';
import type { ReasoningEffort } from '../../templates/model.js';
import { jsonPlace } from '../../text/json-place.js';

/** One worker of a plan, as written in the plan file. */
export interface PlanWorker {
  id?: string;
  role: string;
  lenses?: string[];
  params?: Record<string, string>;
  task?: string;
  scope?: string;
  context?: Record<string, string>;
  /** Folder the worker runs in, relative to the plan's run folder `cwd`. */
  cd?: string;
  /** What an editing worker may change (default: all of its folder). */
  paths?: string[];
  /** Earlier stages whose final messages this worker receives. */
  inputs?: string[];
  /** The role parameter or context-pack field that receives them. */
  into?: string;
  /** A finished run whose results this worker receives (a review feeding a fix), in `into`. */
  from?: string;
  /** Overrides the role's `model` (the command line's `--model` overrides this). */
  model?: string;
  /** Overrides the role's `reasoning-effort`. */
  'reasoning-effort'?: ReasoningEffort;
  /** Narrows the role's sandbox (`read-only` for an editing role); never widens it. */
  sandbox?: 'read-only' | 'workspace-write';
  /** Where it runs: an executor's kind (`local`, `cloud`); default: the run's `executor`. */
  executor?: string;
  /** Its executor's own keys (`isolation` of the local one; `env`, `attempts`, `branch` of the cloud one). */
  [executorKey: string]: unknown;
}

/** A stage: its workers run in parallel; stages run in order. */
export interface PlanStage {
  name: string;
  workers: PlanWorker[];
}

/** A parsed, validated plan. */
export interface Plan {
  context?: Record<string, string>;
  /** Run settings, by name (`timeout: 10m`, `retries: 2`): what `--set` gives, for every run of the plan. */
  settings?: Record<string, string | number | boolean | string[]>;
  stages: PlanStage[];
}

/** The keys of a plan worker that are the run's own; every other key belongs to an executor. */
export const coreWorkerKeys: readonly string[] = ['id', 'role', 'lenses', 'params', 'task', 'scope', 'context', 'cd', 'paths', 'inputs', 'into', 'from', 'model', 'reasoning-effort', 'sandbox', 'executor'];

/** A plan is a few stages of a few workers: anything this large is not one. */
const maxPlanBytes = 1024 * 1024;

const stringMap = { type: 'object', additionalProperties: { type: 'string' } };
const stringList = { type: 'array', items: { type: 'string', minLength: 1 } };
const coreWorkerSchema = {
  id: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$' },
  role: { type: 'string', minLength: 1 },
  lenses: stringList,
  params: stringMap,
  task: { type: 'string' },
  scope: { type: 'string' },
  context: stringMap,
  cd: { type: 'string' },
  paths: stringList,
  inputs: stringList,
  into: { type: 'string', minLength: 1 },
  from: { type: 'string', minLength: 1, maxLength: 4096 },
  model: { type: 'string', pattern: '^[^\\s]+$' },
  'reasoning-effort': { enum: reasoningEfforts },
  sandbox: { enum: ['read-only', 'workspace-write'] },
};

/** The executors a plan may name: their kinds and the worker keys each adds. */
export type PlanKinds = ReadonlyArray<{ kind: string; planKeys: Readonly<Record<string, object>> }>;

/** The JSON Schema of a plan: the run's own worker keys and every executor's. */
function planSchema(executors: PlanKinds) {
  const workerProperties = { ...coreWorkerSchema, executor: { enum: executors.map((e) => e.kind) }, ...Object.assign({}, ...executors.map((e) => e.planKeys)) } as Record<string, object>;
  return {
    type: 'object',
    additionalProperties: false,
    required: ['stages'],
    properties: {
      context: stringMap,
      settings: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean', 'array'] } },
      stages: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'workers'],
          properties: {
            name: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$' },
            workers: { type: 'array', minItems: 1, items: { type: 'object', additionalProperties: false, required: ['role'], properties: workerProperties } },
          },
        },
      },
    },
  } as const;
}

/**
 * Read and check a plan (YAML or JSON; YAML is a superset). Structure is checked with a JSON
 * Schema, then the cross-references: unique stage names and ids, inputs only from earlier
 * stages. `path` is the name used in messages (as the user wrote it).
 */
export function loadPlan(file: string, path: string, executors: PlanKinds): Plan {
  let text: string;
  try {
    text = readTextBounded(file, { maxBytes: maxPlanBytes, what: 'a plan' });
  } catch (error) {
    const failure = fileReadFailure(error);
    if (failure) throw planError(`${path}: cannot read the plan file: ${failure.reason}`);
    throw error;
  }
  let data: unknown;
  try {
    data = parseYaml(text, { prettyErrors: true });
  } catch (error) {
    throw planError(`${path}: not valid YAML or JSON: ${(error as Error).message.split('\n')[0] ?? ''}`);
  }
  return checkPlan(data, path, executors);
}

/**
 * Check a plan given as data (a front end's request, or a file's parsed content) exactly as a
 * plan file is checked; `path` names it in messages.
 *
 * @throws {UserError} `plan-invalid`.
 */
export function checkPlan(data: unknown, path: string, executors: PlanKinds): Plan {
  const schema = planSchema(executors);
  const validate = new Ajv({ allErrors: false, strict: false }).compile(schema);
  if (!validate(data)) {
    const error = validate.errors?.[0];
    const where = error?.instancePath ? `${jsonPlace(error.instancePath)}:` : 'the plan';
    let what = error?.message ?? 'is invalid';
    const params = error?.params as { additionalProperty?: string; missingProperty?: string } | undefined;
    if (params?.additionalProperty) what = `has an unknown key \`${params.additionalProperty}\` (expected one of ${knownKeys(schema, error?.instancePath ?? '')})`;
    else if (params?.missingProperty) what = `needs \`${params.missingProperty}\``;
    else if (error?.keyword === 'pattern') what = 'must be lower-case letters, digits and dashes';
    throw planError(`${path}: ${where} ${what}`);
  }
  const plan = data as Plan;
  const seen = new Set<string>();
  for (const [i, stage] of plan.stages.entries()) {
    if (seen.has(stage.name)) throw planError(`${path}: stages[${i}]: stage name \`${stage.name}\` is used twice`);
    for (const [j, worker] of stage.workers.entries()) {
      for (const input of worker.inputs ?? []) {
        if (!seen.has(input)) {
          throw planError(`${path}: stages[${i}].workers[${j}]: inputs names \`${input}\`, which is not an earlier stage (expected one of ${[...seen].map((s) => `\`${s}\``).join(', ') || 'none: the first stage has no earlier stage'})`);
        }
      }
      if (worker.into !== undefined && (worker.inputs ?? []).length === 0 && worker.from === undefined) throw planError(`${path}: stages[${i}].workers[${j}]: \`into\` needs \`inputs\` or \`from\``);
      for (const p of worker.paths ?? []) {
        if (isAbsolute(p) || relative('.', resolve('.', p)).startsWith('..')) throw planError(`${path}: stages[${i}].workers[${j}]: path \`${p}\` must be relative and inside the worker's folder`);
      }
    }
    seen.add(stage.name);
  }
  return plan;
}

function planError(message: string): UserError {
  return new UserError('plan-invalid', message);
}

function knownKeys(schema: ReturnType<typeof planSchema>, instancePath: string): string {
  const depth = instancePath.split('/').length - 1;
  const stage = schema.properties.stages.items;
  const keys = depth === 0 ? Object.keys(schema.properties) : depth === 2 ? Object.keys(stage.properties) : Object.keys(stage.properties.workers.items.properties);
  return keys.map((k) => `\`${k}\``).join(', ');
}

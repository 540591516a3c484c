import type { Executor } from '../../run/index.js';
import { allowedWorkerKeys } from '../allowed.js';
import type { JsonSchema } from '../tool.js';

const strings = { type: 'array', items: { type: 'string' } };
const stringMap = { type: 'object', additionalProperties: { type: 'string' } };

/**
 * What each key of a plan worker means, for the model: the keys of a plan file's worker
 * (`coreWorkerKeys`) that this server takes (`allowedWorkerKeys`; a test holds the lists
 * together). They are checked as a plan file's are.
 */
export const workerKeys: Readonly<Record<string, object>> = {
  id: { type: 'string', description: 'Worker id (lower-case letters, digits, dashes); default: stage-role-lenses.' },
  role: { type: 'string', description: 'A role name (see list_templates).' },
  lenses: { ...strings, description: 'Lens names or aliases.' },
  params: { ...stringMap, description: 'The role\'s parameters by name, e.g. {"artefact": "src/"}.' },
  task: { type: 'string', description: "Replaces the role's task line." },
  scope: { type: 'string', description: "Replaces the role's default scope; an editing role needs one." },
  context: { ...stringMap, description: 'Context pack fields for this worker (over the plan\'s).' },
  paths: { ...strings, description: 'What an editing worker may change, relative to its folder (default: all of it).' },
  inputs: { ...strings, description: 'Earlier stages whose final messages this worker receives.' },
  into: { type: 'string', description: 'The parameter or context field that receives them.' },
  from: { type: 'string', description: 'A finished run (its id) whose results this worker receives, e.g. a review feeding a fix.' },
  model: { type: 'string', description: "Model for this worker (over the role's)." },
  'reasoning-effort': { type: 'string', description: "Reasoning effort for this worker (over the role's)." },
  sandbox: { type: 'string', enum: ['read-only', 'workspace-write'], description: "Narrows the role's sandbox; never widens it." },
  executor: { type: 'string', enum: ['local'], description: 'Where it runs: local (codex exec on this machine, the default; the only executor this server runs).' },
};

/** The schema of one plan worker: the run's own keys and the executors' (`isolation`) that this server takes. */
export function workerSchema(executors: readonly Pick<Executor, 'planKeys'>[]): object {
  const all: Record<string, object> = { ...workerKeys, ...Object.assign({}, ...executors.map((e) => e.planKeys)) };
  return {
    type: 'object',
    required: ['role'],
    additionalProperties: false,
    properties: Object.fromEntries(Object.entries(all).filter(([key]) => allowedWorkerKeys.has(key))),
  };
}

/** A run as get_run, wait_run, start_run and cancel_run return it (`runs show --format json`, and more). */
export const runViewSchema: JsonSchema = {
  type: 'object',
  required: ['id', 'runDir', 'status', 'workers', 'hint'],
  properties: {
    id: { type: 'string' },
    runDir: { type: 'string' },
    status: { type: 'string', description: 'running, succeeded, failed, canceled, or interrupted (its process stopped before it ended).' },
    hint: { type: 'string' },
    usage: { type: 'object' },
    workers: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'status', 'finalMessage'],
        properties: {
          id: { type: 'string' },
          role: { type: 'string' },
          status: { type: 'string' },
          error: { type: ['string', 'null'] },
          finalMessage: { type: ['string', 'null'], description: 'Cut to its share of what one call returns, naming the file that holds it whole.' },
          cut: { type: 'string', description: 'Present when the run was too large to return whole: only id and status here, and where the rest is.' },
        },
      },
    },
  },
};

/** The `run` argument of the tools that act on one run. */
export const runArgument = { type: 'string', minLength: 1, description: 'The run id (from start_run or list_runs), or a unique prefix of one.' };

/** A wait, bounded: `maxWait` seconds at most. */
export function waitArgument(defaultSeconds: number, maxWait: number, what: string): object {
  return { type: 'number', minimum: 0, maximum: maxWait, default: defaultSeconds, description: `${what} Seconds, ${defaultSeconds} by default, at most ${maxWait}; the run goes on either way.` };
}

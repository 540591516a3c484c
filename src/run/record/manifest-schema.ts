import { Ajv, type ValidateFunction } from 'ajv';
import { dirname, isAbsolute, join, normalize, resolve } from 'node:path';
import { UserError } from '../../errors/index.js';
import { reasoningEfforts } from '../../templates/frontmatter-schema.js';
import { jsonPlace } from '../../text/json-place.js';
import type { Manifest } from './model.js';
import { isInside } from '../../fs/path-inside.js';
import { workerBranch } from '../local/worktree/branch-name.js';

const text = { type: 'string', maxLength: 100_000 } as const;
const name = { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$', maxLength: 200 } as const;
const nullableText = { type: ['string', 'null'], maxLength: 100_000 } as const;
const nullableCount = { type: ['integer', 'null'], minimum: 0 } as const;
const path = { type: 'string', minLength: 1, maxLength: 4096 } as const;
const stringMap = { type: 'object', additionalProperties: text, maxProperties: 1000 } as const;
const stringList = { type: 'array', items: text, maxItems: 1000 } as const;
const modelName = { type: 'string', minLength: 1, maxLength: 200 } as const;
const recipe = {
  type: 'object',
  required: ['role', 'params', 'lenses', 'context'],
  properties: { role: name, params: stringMap, lenses: { type: 'array', items: name, maxItems: 20 }, task: text, scope: text, context: stringMap },
} as const;

/**
 * What a manifest must look like before any of it is used: types, required fields and sizes.
 * Unknown keys are allowed (a newer runner may add some); wrong types never are.
 */
const manifestSchema = {
  type: 'object',
  required: ['version', 'id', 'startedAt', 'finishedAt', 'status', 'cwd', 'invokedFrom', 'argv', 'templateDirs', 'options', 'workers'],
  properties: {
    version: { const: 2 },
    id: { type: 'string', minLength: 1, maxLength: 255 },
    startedAt: { type: 'string', maxLength: 64 },
    finishedAt: { type: ['string', 'null'], maxLength: 64 },
    status: { enum: ['running', 'succeeded', 'failed', 'canceled'] },
    seal: { type: 'string', maxLength: 200 },
    cwd: path,
    invokedFrom: path,
    argv: stringList,
    templateDirs: { type: 'array', items: path, maxItems: 100 },
    merged: { type: 'string', maxLength: 4096 },
    stopped: { type: 'object', required: ['reason', 'detail'], properties: { reason: { const: 'budget' }, detail: text } },
    options: {
      type: 'object',
      required: ['codexBin', 'config', 'yolo', 'structured', 'merge', 'maxParallel', 'timeoutMs', 'watchdogMs', 'retries', 'retryDelayMs', 'graceMs', 'failFast'],
      properties: {
        codexBin: path,
        model: text,
        profile: text,
        config: stringList,
        yolo: { type: 'boolean' },
        structured: { type: 'boolean' },
        merge: { type: 'boolean' },
        maxParallel: { type: 'integer', minimum: 1, maximum: 64 },
        timeoutMs: { type: 'integer', minimum: 0, maximum: 168 * 3_600_000 },
        watchdogMs: { type: 'integer', minimum: 0, maximum: 24 * 3_600_000 },
        retries: { type: 'integer', minimum: 0, maximum: 10 },
        retryDelayMs: { type: 'integer', minimum: 0, maximum: 3_600_000 },
        graceMs: { type: 'integer', minimum: 0, maximum: 3_600_000 },
        failFast: { type: 'boolean' },
        isolation: { enum: ['none', 'worktree'] },
        fromDirty: { type: 'boolean' },
        worktreePool: { type: 'integer', minimum: 0, maximum: 64 },
        reasoningEffort: { enum: reasoningEfforts },
        sandbox: { const: 'read-only' },
        budgetTokens: { type: 'integer', minimum: 1 },
        budgetUsd: { type: 'number', exclusiveMinimum: 0 },
        prices: { type: 'object', required: ['date', 'source', 'models'], properties: { date: text, source: text, models: { type: 'object', maxProperties: 1000 } } },
        cloudPollMs: { type: 'integer', minimum: 0, maximum: 3_600_000 },
      },
    },
    workers: {
      type: 'array',
      maxItems: 1000,
      items: {
        type: 'object',
        required: ['id', 'stage', 'stageName', 'role', 'lenses', 'edits', 'paths', 'cwd', 'sandbox', 'promptHash', 'promptBytes', 'command', 'status', 'attempts', 'exitCode', 'startedAt', 'finishedAt', 'durationMs', 'pid', 'threadId', 'usage', 'error', 'files', 'structuredOutput'],
        properties: {
          id: name,
          stage: { type: 'integer', minimum: 0, maximum: 1000 },
          stageName: name,
          role: name,
          lenses: { type: 'array', items: name, maxItems: 20 },
          edits: { type: 'boolean' },
          paths: { type: 'array', items: path, minItems: 1, maxItems: 1000 },
          cwd: path,
          sandbox: text,
          promptHash: text,
          promptBytes: { type: 'integer', minimum: 0 },
          command: stringList,
          status: { enum: ['pending', 'running', 'succeeded', 'failed', 'timed-out', 'canceled'] },
          attempts: {
            type: 'array',
            maxItems: 1000,
            items: {
              type: 'object',
              required: ['n', 'startedAt', 'finishedAt', 'durationMs', 'exitCode', 'outcome', 'error'],
              properties: {
                n: { type: 'integer', minimum: 1 },
                startedAt: { type: 'string', maxLength: 64 },
                finishedAt: { type: ['string', 'null'], maxLength: 64 },
                durationMs: nullableCount,
                exitCode: { type: ['integer', 'null'] },
                outcome: { enum: ['running', 'succeeded', 'failed', 'timed-out', 'canceled'] },
                error: nullableText,
                usage: { type: ['object', 'null'] },
                modelUsed: modelName,
              },
            },
          },
          exitCode: { type: ['integer', 'null'] },
          startedAt: nullableText,
          finishedAt: nullableText,
          durationMs: nullableCount,
          pid: { type: ['integer', 'null'], minimum: 1 },
          threadId: nullableText,
          usage: { type: ['object', 'null'] },
          costUsd: { type: ['number', 'null'], minimum: 0 },
          error: nullableText,
          files: {
            type: 'object',
            required: ['prompt', 'events', 'stderr', 'lastMessage'],
            properties: { prompt: path, events: path, stderr: path, lastMessage: path },
          },
          structuredOutput: { type: 'boolean' },
          schemaHash: text,
          webSearch: { enum: ['disabled', 'cached', 'live'] },
          model: modelName,
          modelUsed: modelName,
          reasoningEffort: { enum: reasoningEfforts },
          structured: { type: 'object', required: ['valid', 'errors'], properties: { valid: { type: 'boolean' }, errors: stringList } },
          violations: {
            type: 'array',
            maxItems: 1000,
            items: { type: 'object', required: ['kind', 'detail', 'attempt'], properties: { kind: { enum: ['sub-agent', 'nested-codex', 'read-only-edit'] }, detail: text, attempt: { type: 'integer', minimum: 1 } } },
          },
          executor: { enum: ['local', 'cloud'] },
          cloud: {
            type: 'object',
            required: ['env', 'attempts', 'branch', 'tasks'],
            properties: {
              env: { type: 'string', minLength: 1, maxLength: 200 },
              attempts: { type: 'integer', minimum: 1, maximum: 4 },
              branch: { type: ['string', 'null'], maxLength: 1000 },
              tasks: {
                type: 'array',
                maxItems: 1000,
                items: {
                  type: 'object',
                  required: ['id', 'url', 'sentBy', 'submittedAt', 'state', 'statusLine', 'polls', 'diffs'],
                  properties: {
                    id: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,199}$' },
                    url: nullableText,
                    sentBy: { type: 'integer', minimum: 1 },
                    submittedAt: { type: 'string', maxLength: 64 },
                    state: { enum: ['pending', 'ready', 'applied', 'error'] },
                    statusLine: nullableText,
                    polls: { type: 'integer', minimum: 0 },
                    diffs: {
                      type: 'array',
                      maxItems: 4,
                      items: { type: 'object', required: ['attempt', 'file', 'error'], properties: { attempt: { type: 'integer', minimum: 1, maximum: 4 }, file: { type: ['string', 'null'], maxLength: 4096 }, error: nullableText } },
                    },
                  },
                },
              },
            },
          },
          inputs: {
            type: 'object',
            required: ['stages', 'into', 'recipe'],
            properties: { stages: { type: 'array', items: name, minItems: 1, maxItems: 1000 }, into: name, recipe },
          },
          worktree: {
            type: 'object',
            required: ['repo', 'base', 'branch', 'path', 'fromDirty', 'state'],
            properties: {
              repo: path,
              base: { type: 'string', pattern: '^[0-9a-f]{40,64}$' },
              branch: { type: 'string', pattern: '^orch/[A-Za-z0-9._-]+/[a-z0-9][a-z0-9-]*$', maxLength: 400 },
              path,
              fromDirty: { type: 'boolean' },
              state: { enum: ['planned', 'kept', 'removed'] },
              snapshot: { type: 'string', pattern: '^[0-9a-f]{40,64}$' },
              head: { type: 'string', pattern: '^[0-9a-f]{40,64}$' },
              diffstat: { type: 'object', required: ['files', 'insertions', 'deletions'], properties: { files: { type: 'integer', minimum: 0 }, insertions: { type: 'integer', minimum: 0 }, deletions: { type: 'integer', minimum: 0 } } },
              outside: stringList,
              error: text,
            },
          },
        },
      },
    },
  },
} as const;

let validate: ValidateFunction | undefined;

/**
 * Check parsed manifest data before anything uses it: the schema, then what a schema cannot say.
 * Worker ids are unique; the folder and files each record names stay inside the run folder;
 * every worker folder is absolute and inside the project folder; a worker receives only
 * earlier stages. `file` names the manifest in messages.
 *
 * @throws {UserError} `manifest-invalid`, one line: `<file>: workers[0].files.lastMessage: ...`.
 */
export function validateManifest(data: unknown, file: string): Manifest {
  validate ??= new Ajv({ allErrors: false, strict: false }).compile(manifestSchema);
  const fail = (where: string, what: string): never => {
    throw new UserError('manifest-invalid', `${file}: ${where === '' ? '' : `${where}: `}${what}`);
  };
  if (!validate(data)) {
    const error = validate.errors?.[0];
    const params = error?.params as { missingProperty?: string } | undefined;
    const what = params?.missingProperty ? `needs \`${params.missingProperty}\`` : (error?.message ?? 'is invalid');
    return fail(jsonPlace(error?.instancePath ?? ''), error?.keyword === 'const' && error.instancePath === '/version' ? 'version must be 2 (a run recorded by another version of orch-prompt cannot be resumed)' : what);
  }
  const manifest = data as Manifest;
  if (!isAbsolute(manifest.cwd)) fail('cwd', 'must be an absolute path');
  const ids = new Set<string>();
  for (const [i, worker] of manifest.workers.entries()) {
    const where = `workers[${i}]`;
    if (ids.has(worker.id)) fail(`${where}.id`, `\`${worker.id}\` is used twice`);
    ids.add(worker.id);
    for (const [key, relative] of Object.entries(worker.files)) {
      // The run folder stands for any folder here: only where the path leads matters.
      if (isAbsolute(relative) || !isInside(normalize(join('/run', relative)), '/run')) fail(`${where}.files.${key}`, `\`${relative}\` leads outside the run folder`);
    }
    if (worker.executor === 'cloud' && worker.cloud === undefined) fail(where, 'a cloud worker needs `cloud`');
    for (const [j, task] of (worker.cloud?.tasks ?? []).entries()) {
      for (const [k, diff] of task.diffs.entries()) {
        if (diff.file !== null && (isAbsolute(diff.file) || !isInside(normalize(join('/run', diff.file)), '/run'))) fail(`${where}.cloud.tasks[${j}].diffs[${k}].file`, `\`${diff.file}\` leads outside the run folder`);
      }
    }
    if (worker.worktree) {
      // An isolated worker's folder is its worktree, always `<run>/<worker>/worktree`, on its own branch.
      const tree = join(resolve(dirname(file)), worker.id, 'worktree');
      if (worker.worktree.path !== tree) fail(`${where}.worktree.path`, `\`${worker.worktree.path}\` is not the worker's worktree folder ${tree}`);
      if (worker.worktree.branch !== workerBranch(manifest.id, worker.id)) fail(`${where}.worktree.branch`, `\`${worker.worktree.branch}\` is not the branch of this worker in run ${manifest.id} (${workerBranch(manifest.id, worker.id)})`);
      if (!isAbsolute(worker.worktree.repo)) fail(`${where}.worktree.repo`, 'must be an absolute path');
      if (!isAbsolute(worker.cwd) || !isInside(worker.cwd, tree)) fail(`${where}.cwd`, `\`${worker.cwd}\` is not inside the worker's worktree ${tree}`);
    } else if (!isAbsolute(worker.cwd) || !isInside(worker.cwd, manifest.cwd)) fail(`${where}.cwd`, `\`${worker.cwd}\` is not inside the project folder ${manifest.cwd}`);
    const earlier = new Set(manifest.workers.filter((w) => w.stage < worker.stage).map((w) => w.stageName));
    for (const stage of worker.inputs?.stages ?? []) if (!earlier.has(stage)) fail(`${where}.inputs`, `\`${stage}\` is not an earlier stage`);
  }
  if (manifest.merged !== undefined && (isAbsolute(manifest.merged) || !isInside(normalize(join('/run', manifest.merged)), '/run'))) fail('merged', `\`${manifest.merged}\` leads outside the run folder`);
  return manifest;
}

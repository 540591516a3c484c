import { Ajv, type ValidateFunction } from 'ajv';
import { dirname, isAbsolute, join, normalize, resolve } from 'node:path';
import { UserError } from '../../errors/index.js';
import { reasoningEfforts } from '../../templates/frontmatter-schema.js';
import { jsonPlace } from '../../text/json-place.js';
import type { Manifest, WorkerRecord } from './model.js';
import { isInside } from '../../fs/path-inside.js';


/** The manifest's format: a record of another version is not resumed. */
export const manifestVersion = 3;

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
    version: { const: manifestVersion },
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
    options: { type: 'object' },
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
            items: { type: 'object', required: ['kind', 'detail', 'attempt'], properties: { kind: name, detail: text, attempt: { type: 'integer', minimum: 1 } } },
          },
          executor: { type: 'object', required: ['kind'], properties: { kind: name } },
          inputs: {
            type: 'object',
            required: ['stages', 'into', 'recipe'],
            properties: { stages: { type: 'array', items: name, minItems: 1, maxItems: 1000 }, into: name, recipe },
          },
        },
      },
    },
  },
} as const;

/**
 * What a schema cannot say of an executor's record: problems as `[place, what]` (the place below
 * the worker, `executor.worktree.path`), and whether it checked the worker's folder itself (a
 * worker set apart works outside the project folder).
 */
export type RecordCheck = (record: WorkerRecord, context: { runDir: string; manifestId: string }) => { problems: Array<[string, string]>; cwdChecked: boolean };

/** What the manifest's executor parts and settings look like: the executors a run may use. */
export interface RecordKinds {
  executors: ReadonlyArray<{ kind: string; recordSchema: object; checkRecord?: RecordCheck }>;
  /** The JSON Schema of `options` (see settings/run-settings.ts). */
  optionsSchema: object;
}

/** Compiled checks, made once per set of executors. */
const compiled = new WeakMap<RecordKinds, { manifest: ValidateFunction; options: ValidateFunction; executors: Map<string, ValidateFunction> }>();

function checksOf(kinds: RecordKinds) {
  let found = compiled.get(kinds);
  if (found === undefined) {
    const ajv = new Ajv({ allErrors: false, strict: false });
    found = { manifest: ajv.compile(manifestSchema), options: ajv.compile(kinds.optionsSchema), executors: new Map(kinds.executors.map((e) => [e.kind, ajv.compile(e.recordSchema)])) };
    compiled.set(kinds, found);
  }
  return found;
}

/**
 * Check parsed manifest data before anything uses it: the schema (its options and each worker's
 * executor part by the executor's own schema), then what a schema cannot say. Worker ids are
 * unique; the folder and files each record names stay inside the run folder; every worker
 * folder is absolute and inside the project folder (or where its executor put it, which the
 * executor checks); a worker receives only earlier stages. `file` names the manifest in messages.
 *
 * @throws {UserError} `manifest-invalid`, one line: `<file>: workers[0].files.lastMessage: ...`.
 */
export function validateManifest(data: unknown, file: string, kinds: RecordKinds): Manifest {
  const checks = checksOf(kinds);
  const fail = (where: string, what: string): never => {
    throw new UserError('manifest-invalid', `${file}: ${where === '' ? '' : `${where}: `}${what}`);
  };
  const schemaFail = (validate: ValidateFunction, prefix: string): never => {
    const error = validate.errors?.[0];
    const params = error?.params as { missingProperty?: string } | undefined;
    const what = params?.missingProperty ? `needs \`${params.missingProperty}\`` : (error?.message ?? 'is invalid');
    const place = `${prefix}${jsonPlace(error?.instancePath ?? '').replace(/^(?=[^[])/, prefix === '' ? '' : '.')}`;
    return fail(place, error?.keyword === 'const' && error.instancePath === '/version' ? `version must be ${manifestVersion} (a run recorded by another version of orch-prompt cannot be resumed)` : what);
  };
  if (!checks.manifest(data)) return schemaFail(checks.manifest, '');
  const manifest = data as Manifest;
  if (!checks.options(manifest.options)) return schemaFail(checks.options, 'options');
  if (!isAbsolute(manifest.cwd)) fail('cwd', 'must be an absolute path');
  const runDir = resolve(dirname(file));
  const ids = new Set<string>();
  for (const [i, worker] of manifest.workers.entries()) {
    const where = `workers[${i}]`;
    if (ids.has(worker.id)) fail(`${where}.id`, `\`${worker.id}\` is used twice`);
    ids.add(worker.id);
    for (const [key, relative] of Object.entries(worker.files)) {
      // The run folder stands for any folder here: only where the path leads matters.
      if (isAbsolute(relative) || !isInside(normalize(join('/run', relative)), '/run')) fail(`${where}.files.${key}`, `\`${relative}\` leads outside the run folder`);
    }
    const executor = kinds.executors.find((e) => e.kind === worker.executor.kind);
    const check = checks.executors.get(worker.executor.kind);
    if (executor === undefined || check === undefined) return fail(`${where}.executor.kind`, `no executor \`${worker.executor.kind}\` (expected one of ${kinds.executors.map((e) => `\`${e.kind}\``).join(', ')})`);
    if (!check(worker.executor)) return schemaFail(check, `${where}.executor`);
    const own = executor.checkRecord?.(worker, { runDir, manifestId: manifest.id }) ?? { problems: [], cwdChecked: false };
    const [problem] = own.problems;
    if (problem !== undefined) fail(`${where}.${problem[0]}`, problem[1]);
    if (!own.cwdChecked && (!isAbsolute(worker.cwd) || !isInside(worker.cwd, manifest.cwd))) fail(`${where}.cwd`, `\`${worker.cwd}\` is not inside the project folder ${manifest.cwd}`);
    const earlier = new Set(manifest.workers.filter((w) => w.stage < worker.stage).map((w) => w.stageName));
    for (const stage of worker.inputs?.stages ?? []) if (!earlier.has(stage)) fail(`${where}.inputs`, `\`${stage}\` is not an earlier stage`);
  }
  if (manifest.merged !== undefined && (isAbsolute(manifest.merged) || !isInside(normalize(join('/run', manifest.merged)), '/run'))) fail('merged', `\`${manifest.merged}\` leads outside the run folder`);
  return manifest;
}

import { Ajv } from 'ajv';
import { fileReadFailure } from '../../fs/read-bounded.js';
import type { StructuredCheck } from '../record/model.js';
import { readWorkerText } from '../record/worker-files.js';

type Validator = ((data: unknown) => boolean) & { errors?: Array<{ instancePath: string; message?: string }> | null };

const maxResultBytes = 16 * 1024 * 1024;

/**
 * Check a worker's final message against its role's output schema (ajv; compiled once per schema).
 */
export function checkStructured(runDir: string, id: string, schema: Record<string, unknown>): StructuredCheck {
  let text: string;
  try {
    text = readStructured(runDir, id);
  } catch (error) {
    const failure = fileReadFailure(error);
    if (failure) return { valid: false, errors: [failure.kind === 'not-found' ? 'no final message was written' : (error as Error).message] };
    throw error;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { valid: false, errors: [`the final message is not JSON: ${(error as Error).message}`] };
  }
  let validate: Validator;
  try {
    validate = compile(schema);
  } catch (error) {
    // A project role (or a stored run) may carry a schema ajv refuses: the check fails, the run goes on.
    return { valid: false, errors: [`the output schema cannot be used: ${(error as Error).message.split('\n')[0] ?? ''}`] };
  }
  if (validate(data)) return { valid: true, errors: [] };
  return { valid: false, errors: (validate.errors ?? []).map((e) => `${e.instancePath === '' ? '(root)' : e.instancePath} ${e.message ?? 'is invalid'}`) };
}

/** A worker's final message as a structured result: read bounded, following no link. */
export function readStructured(runDir: string, id: string): string {
  return readWorkerText(runDir, id, 'lastMessage', maxResultBytes, 'a structured result');
}

const cache = new Map<string, Validator>();

function compile(schema: Record<string, unknown>): Validator {
  const key = JSON.stringify(schema);
  const hit = cache.get(key);
  if (hit) return hit;
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema) as Validator;
  cache.set(key, validate);
  return validate;
}

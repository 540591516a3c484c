import { Ajv } from 'ajv';
import { fileReadFailure, readTextBounded } from '../fs/read-bounded.js';
import type { StructuredCheck } from './model.js';

type Validator = ((data: unknown) => boolean) & { errors?: Array<{ instancePath: string; message?: string }> | null };

const maxResultBytes = 16 * 1024 * 1024;

/**
 * Check a final message against a role's output schema (ajv; compiled once per schema).
 */
export function checkStructured(lastMessagePath: string, schema: Record<string, unknown>): StructuredCheck {
  let text: string;
  try {
    text = readTextBounded(lastMessagePath, { maxBytes: maxResultBytes, what: 'a structured result' });
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

const cache = new Map<string, Validator>();

function compile(schema: Record<string, unknown>): Validator {
  const key = JSON.stringify(schema);
  const hit = cache.get(key);
  if (hit) return hit;
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema) as Validator;
  cache.set(key, validate);
  return validate;
}

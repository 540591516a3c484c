import { existsSync, readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import type { StructuredCheck } from './model.js';

type Validator = ((data: unknown) => boolean) & { errors?: Array<{ instancePath: string; message?: string }> | null };

/**
 * Check a final message against a role's output schema (ajv; compiled once per schema).
 */
export function checkStructured(lastMessagePath: string, schema: Record<string, unknown>): StructuredCheck {
  if (!existsSync(lastMessagePath)) return { valid: false, errors: ['no final message was written'] };
  const text = readFileSync(lastMessagePath, 'utf8');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { valid: false, errors: [`the final message is not JSON: ${(error as Error).message}`] };
  }
  const validate = compile(schema);
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

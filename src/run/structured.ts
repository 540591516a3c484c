import { existsSync, readFileSync } from 'node:fs';
import type { StructuredCheck } from './model.js';

type Validator = ((data: unknown) => boolean) & { errors?: Array<{ instancePath: string; message?: string }> | null };

/**
 * Check a final message against a role's output schema. The validator (ajv) loads only when a
 * run uses `--structured`.
 */
export async function checkStructured(lastMessagePath: string, schema: Record<string, unknown>): Promise<StructuredCheck> {
  if (!existsSync(lastMessagePath)) return { valid: false, errors: ['no final message was written'] };
  const text = readFileSync(lastMessagePath, 'utf8');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { valid: false, errors: [`the final message is not JSON: ${(error as Error).message}`] };
  }
  const validate = await compile(schema);
  if (validate(data)) return { valid: true, errors: [] };
  return { valid: false, errors: (validate.errors ?? []).map((e) => `${e.instancePath === '' ? '(root)' : e.instancePath} ${e.message ?? 'is invalid'}`) };
}

const cache = new Map<string, Validator>();

async function compile(schema: Record<string, unknown>): Promise<Validator> {
  const key = JSON.stringify(schema);
  const hit = cache.get(key);
  if (hit) return hit;
  const { Ajv } = await import('ajv');
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema) as Validator;
  cache.set(key, validate);
  return validate;
}

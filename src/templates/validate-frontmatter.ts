import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { frontmatterSchemas } from './frontmatter-schema.js';
import type { TemplateKind } from './model.js';

/** One way the frontmatter breaks its kind's schema. */
export interface FrontmatterViolation {
  /** Path of the offending key, e.g. `['parameters', 0, 'name']`; empty for the whole mapping. */
  path: Array<string | number>;
  message: string;
  /** The JSON Schema keyword that failed (`required`, `additionalProperties`, `type`, ...). */
  keyword: string;
  /** The key at fault for `required` (the missing key) and `additionalProperties` (the unknown key). */
  key?: string;
}

let ajv: Ajv | undefined;
const compiled = new Map<TemplateKind, ValidateFunction>();

/** Check frontmatter data against the schema of its kind. */
export function validateFrontmatter(kind: TemplateKind, data: unknown): FrontmatterViolation[] {
  ajv ??= new Ajv({ allErrors: true, strict: false });
  let validate = compiled.get(kind);
  if (!validate) {
    validate = ajv.compile(frontmatterSchemas[kind]);
    compiled.set(kind, validate);
  }
  if (validate(data)) return [];
  // An `if`/`then` failure is reported by the keyword inside `then`; its own error says nothing more.
  return (validate.errors ?? []).filter((error) => error.keyword !== 'if').map(describe);
}

function describe(error: ErrorObject): FrontmatterViolation {
  const violation = explain(error);
  const params = error.params as Record<string, unknown>;
  const key = params['missingProperty'] ?? params['additionalProperty'];
  return { ...violation, keyword: error.keyword, ...(typeof key === 'string' ? { key } : {}) };
}

function explain(error: ErrorObject): Omit<FrontmatterViolation, 'keyword'> {
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part.replace(/~1/g, '/').replace(/~0/g, '~')));
  const at = path.length > 0 ? `\`${path.join('.')}\`` : 'frontmatter';
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { path, message: `${at} is missing the key \`${String(params['missingProperty'])}\`` };
    case 'additionalProperties':
      return {
        path: [...path, String(params['additionalProperty'])],
        message: `unknown key \`${String(params['additionalProperty'])}\` in ${at}`,
      };
    case 'pattern':
      return { path, message: `${at} must be lowercase words joined by hyphens (like \`my-role\`)` };
    case 'enum':
      return {
        path,
        message: `${at} must be one of ${(params['allowedValues'] as unknown[]).map((v) => `\`${String(v)}\``).join(', ')}`,
      };
    case 'const':
      if (path.length === 1 && path[0] === 'sandbox') return { path, message: '`sandbox` may only narrow what `edits` implies: a role without `edits: true` is read-only, so `sandbox` must be `read-only`' };
      return { path, message: `${at} must be \`${String(params['allowedValue'])}\`` };
    case 'type':
      return { path, message: `${at} must be ${article(String(params['type']))}` };
    default:
      return { path, message: `${at} ${error.message ?? 'is invalid'}` };
  }
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

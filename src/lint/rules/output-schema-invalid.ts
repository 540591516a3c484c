import { Ajv, type ErrorObject } from 'ajv';
import { isRecord } from '../../markdown/index.js';
import { defineRule, type Place } from '../rule.js';
import type { TemplateLintInput } from '../template-input.js';

let ajv: Ajv | undefined;

/**
 * A role's `output-schema` is handed to `codex exec --output-schema`, which sends it as a
 * strict structured-output format: it must be a valid JSON Schema (checked against the
 * meta-schema, unknown keywords refused), and every object must close itself with
 * `additionalProperties: false` and list all its properties in `required`.
 */
export default defineRule<TemplateLintInput>({
  id: 'output-schema-invalid',
  appliesTo: 'template',
  severity: 'error',
  summary: 'A role\'s `output-schema` is a valid JSON Schema that `codex exec --output-schema` accepts.',
  messages: {
    invalid: '`output-schema` is not a valid JSON Schema: {reason}; expected a schema that `codex exec --output-schema` accepts',
    unknownKeyword: '`output-schema` uses the unknown keyword `{keyword}`, expected JSON Schema keywords only (a typo?)',
    open: 'object in `output-schema` at `{path}` does not set `additionalProperties: false`, expected it on every object (codex structured output is strict)',
    notRequired: 'property `{name}` of `{path}` is not in `required`, expected every property listed (codex structured output is strict; make it nullable instead)',
  },
  check(input, report) {
    if (input.kind !== 'role') return;
    const schema = input.data['output-schema'];
    if (!isRecord(schema)) return; // missing, or frontmatter-schema reports the type
    const base = ['output-schema'];
    ajv ??= new Ajv({ allErrors: true, strict: false, validateSchema: false });
    if (!ajv.validateSchema(schema)) {
      for (const error of dedupe(ajv.errors ?? [])) {
        report('invalid', input.frontmatterPlace([...base, ...pathOf(error.instancePath)]), { reason: describe(error) });
      }
      return;
    }
    walk(schema, [], (node, path) => {
      const place = (extra: Array<string | number> = [], part: 'key' | 'value' = 'value'): Place => input.frontmatterPlace([...base, ...path, ...extra], part);
      for (const key of Object.keys(node)) {
        if (!knownKeywords.has(key)) report('unknownKeyword', place([key], 'key'), { keyword: key });
      }
      const isObject = node['type'] === 'object' || (Array.isArray(node['type']) && node['type'].includes('object'));
      if (!isObject || !isRecord(node['properties'])) return;
      const where = ['output-schema', ...path].join('.');
      if (node['additionalProperties'] !== false) report('open', place(), { path: where });
      const required = Array.isArray(node['required']) ? node['required'] : [];
      for (const name of Object.keys(node['properties'])) {
        if (!required.includes(name)) report('notRequired', place(['properties', name], 'key'), { name, path: where });
      }
    });
  },
});

// Keywords of draft-07 and 2020-12 plus annotations; anything else is most likely a typo.
const knownKeywords = new Set([
  '$schema', '$id', '$ref', '$defs', '$comment', '$anchor', '$dynamicRef', '$dynamicAnchor', 'definitions',
  'type', 'enum', 'const', 'title', 'description', 'default', 'examples', 'deprecated', 'readOnly', 'writeOnly',
  'properties', 'required', 'additionalProperties', 'patternProperties', 'propertyNames', 'minProperties', 'maxProperties',
  'dependentRequired', 'dependentSchemas', 'dependencies', 'unevaluatedProperties',
  'items', 'prefixItems', 'additionalItems', 'contains', 'minContains', 'maxContains', 'minItems', 'maxItems', 'uniqueItems', 'unevaluatedItems',
  'minLength', 'maxLength', 'pattern', 'format', 'contentEncoding', 'contentMediaType',
  'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf',
  'allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else',
]);

/** Visit every subschema with its path (properties, items, combinators, definitions). */
function walk(node: Record<string, unknown>, path: Array<string | number>, visit: (node: Record<string, unknown>, path: Array<string | number>) => void): void {
  visit(node, path);
  for (const key of ['properties', '$defs', 'definitions', 'patternProperties']) {
    const map = node[key];
    if (isRecord(map)) for (const [name, child] of Object.entries(map)) if (isRecord(child)) walk(child, [...path, key, name], visit);
  }
  for (const key of ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains']) {
    const child = node[key];
    if (isRecord(child)) walk(child, [...path, key], visit);
  }
  for (const key of ['anyOf', 'allOf', 'oneOf', 'prefixItems']) {
    const list = node[key];
    if (Array.isArray(list)) list.forEach((child: unknown, i) => isRecord(child) && walk(child, [...path, key, i], visit));
  }
}

function pathOf(pointer: string): Array<string | number> {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part.replace(/~1/g, '/').replace(/~0/g, '~')));
}

function describe(error: ErrorObject): string {
  const at = error.instancePath === '' ? 'the schema' : `\`${pathOf(error.instancePath).join('.')}\``;
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'enum' && Array.isArray(params['allowedValues'])) {
    return `${at} must be one of ${params['allowedValues'].map((v) => `\`${String(v)}\``).join(', ')}`;
  }
  return `${at} ${error.message ?? 'is invalid'}`;
}

/** The meta-schema reports a bad `type` several times over (anyOf branches); keep one per place. */
function dedupe(errors: readonly ErrorObject[]): ErrorObject[] {
  const seen = new Set<string>();
  return errors.filter((error) => {
    if (error.keyword === 'anyOf' || seen.has(error.instancePath)) return false;
    seen.add(error.instancePath);
    return true;
  });
}

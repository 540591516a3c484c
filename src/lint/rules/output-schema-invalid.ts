import { Ajv, type ErrorObject } from 'ajv';
import { isRecord } from '../../markdown/index.js';
import { walkSchema } from '../json-schema-walk.js';
import { defineRule } from '../rule.js';
import type { TemplateLintInput } from '../template-input.js';

let ajv: Ajv | undefined;

/**
 * A role's `output-schema` is handed to `codex exec --output-schema`: it must be a valid JSON
 * Schema (checked against the meta-schema), with no unknown keyword. Whether the model API
 * accepts it in strict mode is `output-schema-strict`'s job.
 */
export default defineRule<TemplateLintInput>({
  id: 'output-schema-invalid',
  appliesTo: 'template',
  severity: 'error',
  summary: 'A role\'s `output-schema` is a valid JSON Schema with no unknown keyword.',
  messages: {
    invalid: '`output-schema` is not a valid JSON Schema: {reason}; expected a schema that `codex exec --output-schema` accepts',
    unknownKeyword: '`output-schema` uses the unknown keyword `{keyword}`, expected JSON Schema keywords only (a typo?)',
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
    walkSchema(schema, (node, path) => {
      for (const key of Object.keys(node)) {
        if (!knownKeywords.has(key)) report('unknownKeyword', input.frontmatterPlace([...base, ...path, key], 'key'), { keyword: key });
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

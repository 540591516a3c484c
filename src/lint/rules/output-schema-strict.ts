import { isRecord } from '../../markdown/index.js';
import { hasType, showPath, walkSchema, type SchemaPath } from '../json-schema-walk.js';
import { defineRule } from '../rule.js';
import type { TemplateLintInput } from '../template-input.js';

// Keywords outside the subset of JSON Schema that the model API accepts in strict mode
// (`codex exec --output-schema` always sends the schema as strict structured output).
const unsupported = new Set([
  'allOf', 'oneOf', 'not', 'if', 'then', 'else', 'dependentRequired', 'dependentSchemas', 'dependencies',
  'patternProperties', 'propertyNames', 'unevaluatedProperties', 'unevaluatedItems', 'minProperties', 'maxProperties',
  'contains', 'minContains', 'maxContains', 'uniqueItems', 'minLength', 'maxLength',
]);

/** The API's documented ceiling on object nesting. */
const maxNesting = 10;

/**
 * A role's `output-schema` is one the model API accepts in strict mode, which is how Codex
 * sends it: the root is an object; every object sets `additionalProperties: false` and lists
 * every property in `required` (an optional value is written as nullable, `type: [string,
 * 'null']`); only supported keywords; objects nested at most ten deep. Each finding gives the
 * path inside the schema, so a long schema's problem is found without counting braces.
 */
export default defineRule<TemplateLintInput>({
  id: 'output-schema-strict',
  appliesTo: 'template',
  severity: 'error',
  summary: "A role's `output-schema` is accepted by the model API in strict mode (closed objects, every property required, supported keywords only).",
  messages: {
    rootNotObject: '`output-schema` at `(root)` is not `type: object`, expected an object at the root (the API rejects any other root in strict mode)',
    open: 'object at `{path}` in `output-schema` does not set `additionalProperties: false`, expected it on every object (strict mode rejects open objects)',
    notRequired: 'property `{name}` of the object at `{path}` in `output-schema` is not in `required`, expected every property listed; make an optional value nullable instead (`type: [string, \'null\']`)',
    unsupported: '`{keyword}` at `{path}` in `output-schema` is not supported in strict mode, expected only the strict subset (type, properties, required, items, enum, anyOf, description, ...)',
    tooDeep: 'object at `{path}` in `output-schema` is nested {depth} deep, expected at most {max} (the API limit in strict mode)',
  },
  check(input, report) {
    if (input.kind !== 'role') return;
    const schema = input.data['output-schema'];
    if (!isRecord(schema)) return; // missing, or frontmatter-schema reports the type
    const place = (path: SchemaPath, part: 'key' | 'value' = 'value') => input.frontmatterPlace(['output-schema', ...path], part);
    if (!hasType(schema, 'object') || Array.isArray(schema['type'])) report('rootNotObject', place([]));
    walkSchema(schema, (node, path) => {
      const where = showPath(path);
      for (const key of Object.keys(node)) {
        if (unsupported.has(key)) report('unsupported', place([...path, key], 'key'), { keyword: key, path: where });
      }
      if (!hasType(node, 'object')) return;
      const depth = path.filter((part) => part === 'properties').length + 1;
      if (depth === maxNesting + 1) report('tooDeep', place(path), { path: where, depth, max: maxNesting });
      if (node['additionalProperties'] !== false) report('open', place(path), { path: where });
      const properties = isRecord(node['properties']) ? node['properties'] : {};
      const required = Array.isArray(node['required']) ? node['required'] : [];
      for (const name of Object.keys(properties)) {
        if (!required.includes(name)) report('notRequired', place([...path, 'properties', name], 'key'), { name, path: where });
      }
    });
  },
});

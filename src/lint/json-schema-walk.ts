import { isRecord } from '../markdown/index.js';

/** A path inside a JSON Schema, from its root: keys and array indexes. */
export type SchemaPath = Array<string | number>;

/**
 * Visit every subschema of a JSON Schema with its path (properties, items, combinators,
 * definitions), parents before children.
 */
export function walkSchema(node: Record<string, unknown>, visit: (node: Record<string, unknown>, path: SchemaPath) => void, path: SchemaPath = []): void {
  visit(node, path);
  for (const key of ['properties', '$defs', 'definitions', 'patternProperties', 'dependentSchemas']) {
    const map = node[key];
    if (isRecord(map)) for (const [name, child] of Object.entries(map)) if (isRecord(child)) walkSchema(child, visit, [...path, key, name]);
  }
  for (const key of ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedProperties', 'unevaluatedItems']) {
    const child = node[key];
    if (isRecord(child)) walkSchema(child, visit, [...path, key]);
  }
  for (const key of ['anyOf', 'allOf', 'oneOf', 'prefixItems']) {
    const list = node[key];
    if (Array.isArray(list)) list.forEach((child: unknown, i) => isRecord(child) && walkSchema(child, visit, [...path, key, i]));
  }
}

/** Whether a subschema's `type` is or includes `name`. */
export function hasType(node: Record<string, unknown>, name: string): boolean {
  const type = node['type'];
  return type === name || (Array.isArray(type) && type.includes(name));
}

/** A path for people: `properties.findings.items`, or `(root)`. */
export function showPath(path: SchemaPath): string {
  return path.length === 0 ? '(root)' : path.join('.');
}

import { isRecord } from '../../markdown/index.js';
import { didYouMean, quoteList } from '../../text/closest.js';
import { frontmatterSchemas, templateKinds } from '../../templates/frontmatter-schema.js';
import type { TemplateKind } from '../../templates/model.js';
import { validateFrontmatter } from '../../templates/validate-frontmatter.js';
import { defineRule } from '../rule.js';
import type { TemplateLintInput } from '../template-input.js';

/** Frontmatter keys, types and names follow the schema of the template's kind. */
export default defineRule<TemplateLintInput>({
  id: 'frontmatter-schema',
  appliesTo: 'template',
  severity: 'error',
  summary: 'Frontmatter keys, types and names match the schema of the template kind.',
  messages: {
    missing: 'no frontmatter, expected the file to start with `---`, YAML (kind, name, ...), `---`',
    kind: 'frontmatter `kind` is {found}, expected one of {expected}',
    unknownKey: 'unknown key `{key}` in {where}, expected one of {expected}{hint}',
    missingKey: '{where} has no `{key}`, expected it (a {kind} needs {required})',
    invalid: '{reason}, found {found}',
  },
  check(input, report) {
    const fm = input.doc.frontmatter;
    if (!fm) {
      report('missing', { line: 1, column: 1 });
      return;
    }
    if (fm.problem) return; // frontmatter-yaml says why
    const kind = input.data['kind'];
    if (input.kind === undefined) {
      const found = kind === undefined ? 'missing' : `\`${String(kind)}\``;
      report('kind', input.frontmatterPlace(kind === undefined ? [] : ['kind']), { found, expected: quoteList(templateKinds) });
      return;
    }
    for (const violation of validateFrontmatter(input.kind, input.data)) {
      const parent = violation.keyword === 'additionalProperties' ? violation.path.slice(0, -1) : violation.path;
      const where = parent.length === 0 ? 'the frontmatter' : `\`${parent.join('.')}\``;
      const schema = schemaAt(input.kind, parent);
      if (violation.keyword === 'additionalProperties' && violation.key !== undefined) {
        const allowed = Object.keys(isRecord(schema?.['properties']) ? schema['properties'] : {});
        report('unknownKey', input.frontmatterPlace(violation.path, 'key'), { key: violation.key, where, expected: quoteList(allowed), hint: didYouMean(violation.key, allowed) });
      } else if (violation.keyword === 'required' && violation.key !== undefined) {
        const required = Array.isArray(schema?.['required']) ? (schema['required'] as string[]) : [violation.key];
        report('missingKey', input.frontmatterPlace(violation.path), { key: violation.key, where, kind: input.kind, required: quoteList(required) });
      } else {
        report('invalid', input.frontmatterPlace(violation.path), { reason: violation.message, found: describeValue(valueAt(input.data, violation.path)) });
      }
    }
  },
});

/** The sub-schema describing the value at a frontmatter path. */
function schemaAt(kind: TemplateKind, path: ReadonlyArray<string | number>): Record<string, unknown> | undefined {
  let schema: unknown = frontmatterSchemas[kind];
  for (const segment of path) {
    if (!isRecord(schema)) return undefined;
    schema = typeof segment === 'number' ? schema['items'] : isRecord(schema['properties']) ? schema['properties'][segment] : undefined;
  }
  return isRecord(schema) ? schema : undefined;
}

function valueAt(data: unknown, path: ReadonlyArray<string | number>): unknown {
  let value = data;
  for (const segment of path) {
    if (Array.isArray(value) && typeof segment === 'number') value = value[segment];
    else if (isRecord(value)) value = value[String(segment)];
    else return undefined;
  }
  return value;
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'string') return value === '' ? 'an empty string' : `\`${value.length > 40 ? `${value.slice(0, 40)}...` : value}\``;
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `\`${String(value)}\``;
}

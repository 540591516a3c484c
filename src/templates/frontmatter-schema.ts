import type { TemplateKind } from './model.js';

/** Names of roles, lenses and skills: lowercase words joined by single hyphens. */
export const namePattern = '^[a-z0-9]+(-[a-z0-9]+)*$';

const name = { type: 'string', pattern: namePattern } as const;

/** Codex's `model_reasoning_effort` values. */
export const reasoningEfforts = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'] as const;
const text = { type: 'string', minLength: 1 } as const;

/**
 * JSON Schemas of the frontmatter of each template kind. The loader and the
 * `frontmatter-schema` lint rule both validate against these, so they cannot disagree.
 */
export const frontmatterSchemas: Record<TemplateKind, object> = {
  preamble: {
    type: 'object',
    additionalProperties: false,
    required: ['kind', 'name'],
    properties: { kind: { const: 'preamble' }, name, description: text },
  },
  'context-pack': {
    type: 'object',
    additionalProperties: false,
    required: ['kind', 'name', 'fields'],
    properties: {
      kind: { const: 'context-pack' },
      name,
      description: text,
      fields: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['flag', 'label', 'description'],
          properties: { flag: name, label: text, description: text },
        },
      },
    },
  },
  role: {
    type: 'object',
    additionalProperties: false,
    required: ['kind', 'name', 'description'],
    properties: {
      kind: { const: 'role' },
      name,
      description: text,
      scope: text,
      edits: { type: 'boolean' },
      lenses: {
        type: 'object',
        additionalProperties: false,
        required: ['mode'],
        properties: {
          mode: { enum: ['none', 'optional', 'required'] },
          max: { type: 'integer', minimum: 1, maximum: 10 },
        },
      },
      parameters: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'description'],
          properties: { name, description: text, required: { type: 'boolean' } },
        },
      },
      'output-schema': { type: 'object' },
      // Codex's web search for this role's workers (`codex exec` defaults to cached results).
      'web-search': { enum: ['disabled', 'cached', 'live'] },
      // What this role's workers run with (`codex exec -m`, `model_reasoning_effort`, `--sandbox`).
      model: { type: 'string', pattern: '^[^\\s]+$' },
      'reasoning-effort': { enum: reasoningEfforts },
      sandbox: { enum: ['read-only', 'workspace-write'] },
    },
    // The sandbox may narrow what `edits` implies, never widen it: a role that does not edit is read-only.
    if: { not: { required: ['edits'], properties: { edits: { const: true } } } },
    then: { properties: { sandbox: { const: 'read-only' } } },
  },
  lens: {
    type: 'object',
    additionalProperties: false,
    required: ['kind', 'name', 'title', 'description'],
    properties: {
      kind: { const: 'lens' },
      name,
      title: text,
      description: text,
      aliases: { type: 'array', items: name, uniqueItems: true },
    },
  },
};

/** The template kinds, in the order they are documented. */
export const templateKinds: readonly TemplateKind[] = ['preamble', 'context-pack', 'role', 'lens'];

/** Whether a value names a template kind. */
export function isTemplateKind(value: unknown): value is TemplateKind {
  return typeof value === 'string' && (templateKinds as readonly string[]).includes(value);
}

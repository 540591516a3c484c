const nullableText = { type: ['string', 'null'], maxLength: 100_000 } as const;

/** What a cloud worker's `executor` record must look like. */
export const cloudRecordSchema = {
  type: 'object',
  required: ['kind', 'env', 'attempts', 'branch', 'tasks'],
  properties: {
    kind: { const: 'cloud' },
    env: { type: 'string', minLength: 1, maxLength: 200 },
    attempts: { type: 'integer', minimum: 1, maximum: 4 },
    branch: { type: ['string', 'null'], maxLength: 1000 },
    tasks: {
      type: 'array',
      maxItems: 1000,
      items: {
        type: 'object',
        required: ['id', 'url', 'sentBy', 'submittedAt', 'state', 'statusLine', 'polls', 'diffs'],
        properties: {
          id: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,199}$' },
          url: nullableText,
          sentBy: { type: 'integer', minimum: 1 },
          submittedAt: { type: 'string', maxLength: 64 },
          state: { enum: ['pending', 'ready', 'applied', 'error'] },
          statusLine: nullableText,
          polls: { type: 'integer', minimum: 0 },
          diffs: {
            type: 'array',
            maxItems: 4,
            items: { type: 'object', required: ['attempt', 'file', 'error'], properties: { attempt: { type: 'integer', minimum: 1, maximum: 4 }, file: { type: ['string', 'null'], maxLength: 4096 }, error: nullableText } },
          },
          appliedAttempt: { type: 'integer', minimum: 1, maximum: 4 },
          appliedAt: { type: 'string', maxLength: 64 },
        },
      },
    },
  },
} as const;

import { describe, expect, it } from 'vitest';
import { errorCatalog, isUserError, UserError } from '../../src/errors/index.js';

describe('UserError', () => {
  it('takes its exit status from the catalog: 2 for usage errors, 1 for failures of the work', () => {
    expect(new UserError('unknown-role', 'unknown role `x`').exitCode).toBe(2);
    expect(new UserError('file-unwritable', 'cannot write `out.md`').exitCode).toBe(1);
  });

  it('carries its code and data, and is told apart by code', () => {
    const error = new UserError('unknown-lens', 'unknown lens `secruity`', { data: { name: 'secruity', closest: 'security' } });
    expect(error.data).toEqual({ name: 'secruity', closest: 'security' });
    expect(isUserError(error, 'unknown-lens')).toBe(true);
    expect(isUserError(error, 'unknown-role')).toBe(false);
    expect(isUserError(new Error('x'))).toBe(false);
  });

  it('every catalog entry has an exit status of 1 or 2 and a summary', () => {
    for (const [code, entry] of Object.entries(errorCatalog)) {
      expect([1, 2], code).toContain(entry.exit);
      expect(entry.summary.length, code).toBeGreaterThan(10);
    }
  });
});

import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileReadFailure, readFileBounded, readTextBounded, type FileReadFailure } from '../../src/fs/read-bounded.js';

const dir = mkdtempSync(join(tmpdir(), 'orch-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The `file-unreadable` error's data, with its message. */
function failure(fn: () => unknown): FileReadFailure & { message: string } {
  try {
    fn();
  } catch (error) {
    const found = fileReadFailure(error);
    if (found) return { ...found, message: (error as Error).message };
    throw error;
  }
  throw new Error('expected a file-unreadable error');
}

describe('readFileBounded', () => {
  it('reads a regular file and a symbolic link to one', () => {
    writeFileSync(join(dir, 'a.md'), 'hello');
    symlinkSync(join(dir, 'a.md'), join(dir, 'link.md'));
    expect(readTextBounded(join(dir, 'a.md'), { maxBytes: 10 })).toBe('hello');
    expect(readTextBounded(join(dir, 'link.md'), { maxBytes: 10 })).toBe('hello');
  });

  it('refuses a file over the limit, naming its size, and accepts one exactly at it', () => {
    writeFileSync(join(dir, 'big.md'), 'x'.repeat(2 * 1024 * 1024));
    const error = failure(() => readFileBounded(join(dir, 'big.md'), { maxBytes: 1024 * 1024, what: 'a template' }));
    expect(error.kind).toBe('too-large');
    expect(error.message).toBe(`cannot read \`${join(dir, 'big.md')}\`: it is 2.0 MB, over the 1.0 MB a template may have`);
    writeFileSync(join(dir, 'edge.md'), 'x'.repeat(100));
    expect(readFileBounded(join(dir, 'edge.md'), { maxBytes: 100 }).length).toBe(100);
  });

  it('refuses /dev/zero at once without reading it (a device is not a regular file)', () => {
    const error = failure(() => readFileBounded('/dev/zero', { maxBytes: 1024 }));
    expect(error.kind).toBe('not-regular');
    expect(error.reason).toBe('it is a device, expected a regular file');
  });

  it('refuses a FIFO with no writer at once instead of blocking', () => {
    const fifo = join(dir, 'pipe.md');
    execFileSync('mkfifo', [fifo]);
    const error = failure(() => readFileBounded(fifo, { maxBytes: 1024 }));
    expect(error.kind).toBe('not-regular');
    expect(error.reason).toMatch(/FIFO/);
  });

  it('refuses a folder, a missing file and a broken link with one line each', () => {
    mkdirSync(join(dir, 'folder.md'));
    expect(failure(() => readFileBounded(join(dir, 'folder.md'), { maxBytes: 10 })).kind).toBe('not-regular');
    expect(failure(() => readFileBounded(join(dir, 'missing.md'), { maxBytes: 10 })).reason).toBe('no such file');
    symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling.md'));
    expect(failure(() => readFileBounded(join(dir, 'dangling.md'), { maxBytes: 10 })).kind).toBe('not-found');
  });

  it.skipIf(process.getuid?.() === 0)('says permission denied for an unreadable file', () => {
    writeFileSync(join(dir, 'secret.md'), 'x');
    chmodSync(join(dir, 'secret.md'), 0);
    expect(failure(() => readFileBounded(join(dir, 'secret.md'), { maxBytes: 10 })).reason).toBe('permission denied');
  });
});

describe('readTextBounded', () => {
  it('refuses binary files and invalid UTF-8, saying where the bad byte is', () => {
    writeFileSync(join(dir, 'bin.md'), Buffer.from([0x89, 0x50, 0, 1]));
    expect(failure(() => readTextBounded(join(dir, 'bin.md'), { maxBytes: 100 })).kind).toBe('binary');
    writeFileSync(join(dir, 'latin1.md'), Buffer.concat([Buffer.from('ok\nab'), Buffer.from([0xff]), Buffer.from('\n')]));
    const error = failure(() => readTextBounded(join(dir, 'latin1.md'), { maxBytes: 100 }));
    expect(error.kind).toBe('not-utf8');
    expect(error.place).toEqual({ line: 2, column: 3 });
  });

  it('keeps a byte-order mark for the parser to handle', () => {
    writeFileSync(join(dir, 'bom.md'), '\ufeffhi');
    expect(readTextBounded(join(dir, 'bom.md'), { maxBytes: 100 })).toBe('\ufeffhi');
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** What a test file's tests make, kept until the file ends: see {@link fileScratch}. */
export interface FileScratch {
  /** A fresh empty folder (`prefix` names it). */
  dir(prefix?: string): string;
  /** Run `cleanup` when the file ends, before the folders are removed (the last added runs first). */
  later(cleanup: () => void | Promise<void>): void;
}

/**
 * Folders and cleanups for the tests of one file, removed when the file ends. Concurrent tests
 * (`describe.concurrent`) use it instead of vitest's global `onTestFinished`, which names the
 * test that started last, not the one that calls it. Call at the top level of a test file.
 */
export function fileScratch(prefix = 'orch-test-'): FileScratch {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const cleanups: Array<() => void | Promise<void>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    rmSync(root, { recursive: true, force: true });
  });
  return {
    dir: (name = 'test-') => mkdtempSync(join(root, name)),
    later: (cleanup) => void cleanups.push(cleanup),
  };
}

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';

/** Write `files` (paths relative to `root`, `/`-separated) below `root`, creating folders; returns `root`. */
export function writeTree(root: string, files: Readonly<Record<string, string | Uint8Array>>): string {
  mkdirSync(root, { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

/**
 * Expect the same bytes. `toEqual` walks a Buffer element by element through its generic
 * equality: 7 to 10 s of CPU for the 1 MB skill script. This compares them at once, and only
 * when they differ shows the difference (as text, else byte by byte).
 */
export function expectSameBytes(actual: Uint8Array, expected: Uint8Array, message?: string): void {
  const a = Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength);
  const b = Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength);
  if (a.equals(b)) return;
  expect(a.toString('utf8'), message).toBe(b.toString('utf8'));
  expect(a, message).toEqual(b);
}

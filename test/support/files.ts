import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
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

/** The package's root folder. */
export const packageRoot = join(import.meta.dirname, '../..');

/** Every Markdown file of the package (templates, skill sources, docs, fixtures), outside node_modules, dist and dot folders. */
export function repositoryMarkdown(dir = packageRoot): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return repositoryMarkdown(path);
    return entry.name.endsWith('.md') ? [path] : [];
  });
}

/**
 * The files of the CLI's runtime folder (`dist/orch-prompt/`, built by the global setup) as the
 * skill ships them: `scripts/orch-prompt/...`, sorted. The chunk names carry content hashes.
 */
export function skillRuntimeFiles(): string[] {
  const dir = join(packageRoot, 'dist', 'orch-prompt');
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => `scripts/orch-prompt/${join(entry.parentPath, entry.name).slice(dir.length + 1)}`)
    .sort();
}

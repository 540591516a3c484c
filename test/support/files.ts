import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Write `files` (paths relative to `root`, `/`-separated) below `root`, creating folders; returns `root`. */
export function writeTree(root: string, files: Readonly<Record<string, string | Uint8Array>>): string {
  mkdirSync(root, { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
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

import { mkdirSync, writeFileSync } from 'node:fs';
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

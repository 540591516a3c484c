import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package's root folder (holds `templates/`, `skill/` and `package.json`). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && existsSync(join(dir, 'templates'))) {
      const name = (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name;
      if (name === 'codex-orchestration') return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the codex-orchestration package root');
    dir = parent;
  }
}

/** The built-in templates folder. */
export function builtinTemplatesDir(): string {
  return join(packageRoot(), 'templates');
}

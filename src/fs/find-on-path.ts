import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Find an executable file on `PATH` (with `PATHEXT` on Windows); `undefined` when there is none. */
export function findOnPath(name: string, env: Readonly<Record<string, string | undefined>>): string | undefined {
  const exts = process.platform === 'win32' ? (env['PATHEXT'] ?? '.EXE;.CMD').split(';') : [''];
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue;
    for (const ext of exts) {
      const candidate = join(dir, name + ext);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

/** Whether `path` is a regular file (links followed) this process may execute. */
export function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

import { chmodSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

let counter = 0;

/** Options of {@link writeFileAtomic}. */
export interface WriteAtomicOptions {
  /** Permission bits of the written file (default: `0o666` less the umask, as for any new file). */
  mode?: number;
}

/**
 * Write a file so that readers see either the old content or the new, never half of it: write
 * a temporary file beside the target, then rename it over the target. Missing parent folders
 * are created. Whatever is at `path` is replaced, whatever it is: for a file a user named, use
 * `writeOutputFile` (src/fs/write-output.ts), which decides when replacing is right.
 */
export function writeFileAtomic(path: string, content: string | Uint8Array, options: WriteAtomicOptions = {}): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (error) {
    // EEXIST from a recursive mkdir means a file stands where a folder should be.
    const code = (error as NodeJS.ErrnoException).code === 'EEXIST' ? 'ENOTDIR' : (error as NodeJS.ErrnoException).code;
    if (error instanceof Error && 'path' in error) Object.assign(error, { path, code, syscall: 'write' });
    throw error;
  }
  // pid + counter is unique within this machine; no need to load node:crypto on the hot path.
  const temporary = `${path}.${process.pid}-${++counter}.tmp`;
  try {
    writeFileSync(temporary, content, options.mode === undefined ? {} : { mode: options.mode });
    // The umask applies at creation; an explicit mode must hold exactly (a 600 file stays 600).
    if (options.mode !== undefined) chmodSync(temporary, options.mode);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    // Report the file the caller asked for, not the temporary one.
    if (error instanceof Error && 'path' in error) Object.assign(error, { path, syscall: 'write' });
    throw error;
  }
}

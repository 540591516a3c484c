import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

let counter = 0;

/**
 * Write a file so that readers see either the old content or the new, never half of it: write
 * a temporary file beside the target, then rename it over the target.
 */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  // pid + counter is unique within this machine; no need to load node:crypto on the hot path.
  const temporary = `${path}.${process.pid}-${++counter}.tmp`;
  try {
    writeFileSync(temporary, content);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileBytes, type SkillFile } from './skill-files.js';

/** Written into an installed skill: what was installed, so that user edits can be told apart. */
export const manifestName = '.orch-install.json';

/** Contents of {@link manifestName}. */
export interface InstallManifest {
  package: 'codex-orchestration';
  version: string;
  /** sha256 of every installed file, by path. */
  files: Record<string, string>;
}

/** How an install folder compares with what would be installed now. */
export type InstallState =
  | { kind: 'absent' }
  /** Installed by us, unedited, and identical to what would be installed now. */
  | { kind: 'current'; version: string }
  /** Installed by us and unedited, but older (or different) than what would be installed now. */
  | { kind: 'outdated'; version: string }
  /** Installed by us, then changed by someone: `changed` lists the paths. */
  | { kind: 'edited'; version: string; changed: string[] }
  /** A folder we did not install (no manifest). */
  | { kind: 'foreign' };

/** sha256 of a file's bytes, hex. */
export function hash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The manifest for a set of files. */
export function manifestFor(files: readonly SkillFile[], version: string): InstallManifest {
  return { package: 'codex-orchestration', version, files: Object.fromEntries(files.map((f) => [f.path, hash(fileBytes(f))])) };
}

/** Hashes of the files in a folder (the manifest itself left out). */
function hashesOnDisk(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/');
    if (path === manifestName) continue;
    out[path] = hash(readFileSync(join(entry.parentPath, entry.name)));
  }
  return out;
}

function differences(a: Record<string, string>, b: Record<string, string>): string[] {
  const paths = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...paths].filter((p) => a[p] !== b[p]).sort();
}

function readManifest(dir: string): InstallManifest | undefined {
  try {
    const data = JSON.parse(readFileSync(join(dir, manifestName), 'utf8')) as Partial<InstallManifest>;
    if (data.package !== 'codex-orchestration' || typeof data.files !== 'object' || data.files === null) return undefined;
    return { package: 'codex-orchestration', version: String(data.version ?? 'unknown'), files: data.files };
  } catch {
    return undefined;
  }
}

/** Compare an install folder with the files that would be installed now. */
export function installState(dir: string, files: readonly SkillFile[]): InstallState {
  if (!existsSync(dir)) return { kind: 'absent' };
  const manifest = readManifest(dir);
  if (!manifest) return { kind: 'foreign' };
  const onDisk = hashesOnDisk(dir);
  const changed = differences(manifest.files, onDisk);
  if (changed.length > 0) return { kind: 'edited', version: manifest.version, changed };
  const wanted = manifestFor(files, manifest.version).files;
  return differences(wanted, onDisk).length === 0 ? { kind: 'current', version: manifest.version } : { kind: 'outdated', version: manifest.version };
}

import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { readFileBounded, readTextBounded } from '../fs/read-bounded.js';
import { walkFiles } from '../fs/walk.js';
import { fileBytes, type SkillFile } from './skill-files.js';

/** Written into an installed (or built) skill: what was written, so that user edits can be told apart. */
export const manifestName = '.orch-install.json';

// The skill's largest file is its script (about a megabyte): anything far larger is not ours,
// and is not read whole just to find that out.
const maxFileBytes = 32 * 1024 * 1024;
const maxManifestBytes = 1024 * 1024;

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
  /**
   * Installed by us, then changed by someone: `changed` lists the paths (a folder ends in `/`):
   * files edited, added or removed, and anything added that is not a regular file (a symbolic
   * link, an empty folder).
   */
  | { kind: 'edited'; version: string; changed: string[] }
  /** Something we did not write (no manifest, or not a folder). */
  | { kind: 'foreign' };

/** sha256 of a file's bytes, hex. */
export function hash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The manifest for a set of files. */
export function manifestFor(files: readonly SkillFile[], version: string): InstallManifest {
  return { package: 'codex-orchestration', version, files: Object.fromEntries(files.map((f) => [f.path, hash(fileBytes(f))])) };
}

/**
 * What a folder should hold, as comparable entries: each file's hash, and each folder the files
 * need (`path/`). An entry found on disk but not here is something a user added.
 */
function expectedEntries(files: Record<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [path, digest] of Object.entries(files)) {
    out.set(path, digest);
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) out.set(`${parts.slice(0, i).join('/')}/`, 'folder');
  }
  return out;
}

/** Everything in a folder as it is on disk (links not followed), the manifest left out. */
function entriesOnDisk(dir: string): Map<string, string> {
  const walk = walkFiles(dir, { skipDir: () => false, followLinks: false });
  const name = (path: string): string => relative(dir, path).split(sep).join('/');
  const out = new Map<string, string>();
  for (const file of walk.files) {
    if (name(file) === manifestName) continue;
    let digest: string;
    try {
      digest = hash(readFileBounded(file, { maxBytes: maxFileBytes }));
    } catch {
      digest = 'unreadable';
    }
    out.set(name(file), digest);
  }
  for (const folder of walk.folders) out.set(`${name(folder)}/`, 'folder');
  // Never equal to a hash: a link, FIFO or device in the skill is always a change.
  for (const other of walk.others) out.set(name(other), 'not a regular file');
  // A folder that could not be listed, or a tree past the walk's limits, cannot be vouched for.
  for (const warning of walk.warnings) if (!walk.others.some((o) => warning.startsWith(`${name(o)}:`))) out.set(`(${warning})`, 'unknown');
  return out;
}

function differences(a: Map<string, string>, b: Map<string, string>): string[] {
  const paths = new Set([...a.keys(), ...b.keys()]);
  return [...paths].filter((p) => a.get(p) !== b.get(p)).sort();
}

/** The manifest of a folder we wrote, or `undefined` (none, unreadable, or not ours). */
export function readManifest(dir: string): InstallManifest | undefined {
  let data: unknown;
  try {
    data = JSON.parse(readTextBounded(join(dir, manifestName), { maxBytes: maxManifestBytes }));
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null) return undefined;
  const { package: name, version, files } = data as Partial<Record<keyof InstallManifest, unknown>>;
  if (name !== 'codex-orchestration' || typeof files !== 'object' || files === null) return undefined;
  if (!Object.values(files).every((digest) => typeof digest === 'string')) return undefined;
  return { package: 'codex-orchestration', version: typeof version === 'string' ? version : 'unknown', files: files as Record<string, string> };
}

/**
 * Compare a folder we wrote with its own manifest: what changed since (empty when nothing did),
 * or `undefined` when the folder has no manifest of ours.
 */
export function changesSinceWritten(dir: string): { version: string; changed: string[] } | undefined {
  return compare(dir)?.since;
}

function compare(dir: string): { since: { version: string; changed: string[] }; disk: Map<string, string> } | undefined {
  const manifest = readManifest(dir);
  if (!manifest) return undefined;
  const disk = entriesOnDisk(dir);
  return { since: { version: manifest.version, changed: differences(expectedEntries(manifest.files), disk) }, disk };
}

/** Compare an install folder (a link to one is followed) with the files that would be installed now. */
export function installState(dir: string, files: readonly SkillFile[]): InstallState {
  let isFolder: boolean;
  try {
    isFolder = statSync(dir).isDirectory();
  } catch (error) {
    // Nothing there, or a link to nothing: an install creates it.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' };
    throw error;
  }
  const found = isFolder ? compare(dir) : undefined;
  if (!found) return { kind: 'foreign' };
  const { since, disk } = found;
  if (since.changed.length > 0) return { kind: 'edited', version: since.version, changed: since.changed };
  const wanted = expectedEntries(manifestFor(files, since.version).files);
  return differences(wanted, disk).length === 0 ? { kind: 'current', version: since.version } : { kind: 'outdated', version: since.version };
}

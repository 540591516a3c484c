import { existsSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { readTextBounded } from '../../fs/read-bounded.js';
import { walkFiles } from '../../fs/walk.js';
import { isRecord } from '../../markdown/index.js';
import { parseTomlDocument } from './toml-document.js';
import { realpathOr } from '../../fs/link-target.js';

// Where Codex 0.169 looks for custom agents, in which order, and when it looks at all (checked
// with the pinned binary): every `*.toml` file at any depth below `$CODEX_HOME/agents/` (the
// user layer), then below `<folder>/.codex/agents/` for each folder from the project root down to
// the working folder (project layers, read only when the project is trusted). Within a layer
// files are read in path order and the first file to claim a name wins; a later layer's agent
// replaces an earlier one of the same name. Links are followed; a name must end in `.toml`
// exactly (`x.TOML` is never read).

/** A custom agents folder as Codex sees it. */
export interface AgentLayer {
  /** `user`: `$CODEX_HOME/agents`; `project`: `<project>/.codex/agents`; `folder`: any other `agents` folder. */
  kind: 'user' | 'project' | 'folder';
  /** The agents folder. */
  root: string;
  /** For a project layer: the folder holding `.codex/`. */
  project?: string;
}

/** The largest agent file or config.toml read (far above any real one). */
export const maxAgentFileBytes = 1024 * 1024;

/** Whether Codex reads a file of this name as a custom agent: extension exactly `toml`. */
export function isAgentFileName(name: string): boolean {
  return name.endsWith('.toml') && name !== '.toml';
}

/** Codex's order of the files of one layer: path components compared byte by byte. */
export function codexOrder(a: string, b: string): number {
  const left = a.split(sep);
  const right = b.split(sep);
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const order = Buffer.compare(Buffer.from(left[i] as string), Buffer.from(right[i] as string));
    if (order !== 0) return order;
  }
  return left.length - right.length;
}

/** The agent files below a layer's folder, in Codex's order, with what the walk passed over. */
export function agentFilesIn(root: string): { files: string[]; warnings: string[] } {
  if (!existsSync(root)) return { files: [], warnings: [] };
  const walk = walkFiles(root, { match: isAgentFileName, skipDir: () => false });
  return { files: walk.files.sort(codexOrder), warnings: walk.warnings };
}

/**
 * The layer a file belongs to: the `agents` folder above it whose parent is `codexHome` (user)
 * or a `.codex` folder (project), else the nearest `agents` folder above it, else none (a file
 * outside any agents folder, linted alone).
 */
export function layerOf(file: string, codexHome: string | undefined): AgentLayer | undefined {
  const home = codexHome === undefined ? undefined : realpathOr(resolve(codexHome));
  let nearest: string | undefined;
  for (let dir = dirname(resolve(file)); dir !== dirname(dir); dir = dirname(dir)) {
    if (basename(dir) !== 'agents') continue;
    nearest ??= dir;
    const parent = dirname(dir);
    if (home !== undefined && realpathOr(parent) === home) return { kind: 'user', root: dir };
    if (basename(parent) === '.codex') return { kind: 'project', root: dir, project: dirname(parent) };
  }
  return nearest === undefined ? undefined : { kind: 'folder', root: nearest };
}

/**
 * Whether Codex trusts a project, from `$CODEX_HOME/config.toml`: the `[projects."<path>"]`
 * entry nearest above (or at) the folder decides (`trust_level = "trusted"`); no entry means
 * not trusted. `undefined` when the config cannot be read as TOML (Codex would not start).
 */
export function projectTrusted(project: string, codexHome: string): boolean | undefined {
  const config = join(codexHome, 'config.toml');
  let projects: unknown;
  if (existsSync(config)) {
    try {
      const doc = parseTomlDocument(readTextBounded(config, { maxBytes: maxAgentFileBytes, what: 'a config.toml' }));
      if (doc.problem) return undefined;
      projects = doc.data['projects'];
    } catch {
      return undefined;
    }
  }
  const entries = isRecord(projects) ? projects : {};
  for (let dir = realpathOr(resolve(project)); ; dir = dirname(dir)) {
    const entry = entries[dir] ?? entries[`${dir}${sep}`];
    if (isRecord(entry) && typeof entry['trust_level'] === 'string') return entry['trust_level'] === 'trusted';
    if (dir === dirname(dir)) return false;
  }
}

/** A path shown relative to a folder when inside it. */
export function within(root: string, path: string): string {
  const rel = relative(root, path);
  return rel === '' || rel.startsWith('..') ? path : rel.split(sep).join('/');
}


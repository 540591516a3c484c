import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../errors/index.js';
import { readFileBounded, readTextBounded } from '../../fs/read-bounded.js';
import { writeFileAtomic } from '../../fs/write-atomic.js';
import { agentFilesIn, maxAgentFileBytes } from '../../lint/agent/agent-layer.js';
import { parseTomlDocument } from '../../lint/agent/toml-document.js';
import { isRecord } from '../../markdown/index.js';
import { hash } from '../install-state.js';
import { backupDir } from '../install-targets.js';
import type { AgentFile } from './compile-agents.js';

/**
 * Written into an agents folder beside the agents orch-prompt placed there: which files it wrote
 * and their hashes, so that `uninstall` removes exactly those and an edited one is never lost.
 * Codex reads only `*.toml` files, so it never sees this one.
 */
export const agentsManifestName = '.orch-agents.json';

/** Options of {@link installAgents} and {@link uninstallAgents}. */
export interface AgentsPlaceOptions {
  /** Replace (or remove) an agent file that was edited or not written by orch-prompt; a backup is kept. */
  force?: boolean;
  dryRun?: boolean;
  version: string;
  now?: () => Date;
}

/** What an install or uninstall did (or would do) to an agents folder. */
export interface AgentsResult {
  /** The agents folder. */
  dir: string;
  /** Files written (new or changed), by file name. */
  written: string[];
  /** Files already as they would be written. */
  unchanged: string[];
  /** Files removed: ours, no longer compiled (install) or all of ours (uninstall). */
  removed: string[];
  /** Files that were edited and left in place (a stale agent of ours someone changed). */
  kept: string[];
  /** Where replaced or removed edited files were kept (with `force`). */
  backup?: string;
  dryRun: boolean;
}

interface Manifest {
  version: string;
  files: Record<string, string>;
}

function readManifest(dir: string): Manifest {
  try {
    const data: unknown = JSON.parse(readTextBounded(join(dir, agentsManifestName), { maxBytes: 1024 * 1024 }));
    if (isRecord(data) && data['package'] === 'codex-orchestration' && isRecord(data['files'])) {
      const files = Object.fromEntries(Object.entries(data['files']).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && /^[\w.-]+\.toml$/.test(entry[0])));
      return { version: typeof data['version'] === 'string' ? data['version'] : 'unknown', files };
    }
  } catch {
    // No manifest (or not ours): nothing here was written by orch-prompt.
  }
  return { version: 'unknown', files: {} };
}

/** What is at `dir/name`: absent, or the hash of its bytes (`unreadable` when it cannot be read). */
function onDisk(dir: string, name: string): string | undefined {
  const path = join(dir, name);
  if (!existsSync(path)) return undefined;
  try {
    return hash(readFileBounded(path, { maxBytes: maxAgentFileBytes }));
  } catch {
    return 'unreadable';
  }
}

/** The names the other agent files of the folder claim, by name (files of ours left out). */
function otherNames(dir: string, ours: ReadonlySet<string>): Map<string, string> {
  const names = new Map<string, string>();
  for (const file of agentFilesIn(dir).files) {
    if (ours.has(file)) continue;
    try {
      const name = parseTomlDocument(readTextBounded(file, { maxBytes: maxAgentFileBytes })).data['name'];
      if (typeof name === 'string') names.set(name.trim(), file);
    } catch {
      // Unreadable: it claims no name Codex would see.
    }
  }
  return names;
}

function backupPath(dir: string, options: AgentsPlaceOptions): string {
  const stamp = (options.now ?? (() => new Date()))().toISOString().replace(/[:.]/g, '-');
  let path = join(backupDir(dir), `agents-${stamp}`);
  for (let n = 2; existsSync(path); n++) path = join(backupDir(dir), `agents-${stamp}-${n}`);
  return path;
}

/**
 * Place compiled agents in a Codex agents folder (`$CODEX_HOME/agents`, `.codex/agents`), beside
 * whatever the user keeps there. A file we wrote and nobody changed is replaced; one that is
 * already right is left alone; an agent we wrote earlier that is no longer compiled (a removed
 * project role) is removed. A file of that name that someone edited, or that we did not write,
 * is refused unless `force` (which keeps it in a backup first); a user's agent of the same
 * `name` is always refused, since Codex would keep only one of the two. Everything is checked
 * before anything is written; each file is written atomically, the manifest last.
 *
 * @throws {UserError} `install-refused` naming the file; nothing has changed then.
 */
export function installAgents(agents: readonly AgentFile[], dir: string, options: AgentsPlaceOptions): AgentsResult {
  const manifest = readManifest(dir);
  const result: AgentsResult = { dir, written: [], unchanged: [], removed: [], kept: [], dryRun: options.dryRun === true };
  const clashes = otherNames(dir, new Set([...agents.map((a) => join(dir, a.path)), ...Object.keys(manifest.files).map((f) => join(dir, f))]));
  const replace: string[] = [];
  for (const agent of agents) {
    const clash = clashes.get(agent.name);
    if (clash !== undefined) throw new UserError('install-refused', `install: ${clash} already defines an agent named \`${agent.name}\`, and Codex keeps only one agent of a name; nothing was changed. Rename or remove that agent, or install with --no-agents`);
    const found = onDisk(dir, agent.path);
    if (found === hash(Buffer.from(agent.content))) result.unchanged.push(agent.path);
    else {
      if (found !== undefined && found !== manifest.files[agent.path]) {
        if (!options.force) throw new UserError('install-refused', `install: ${join(dir, agent.path)} exists and ${manifest.files[agent.path] ? 'was edited since it was installed' : 'was not written by orch-prompt'}; nothing was changed. Pass --force to replace it (a backup is kept)`);
        replace.push(agent.path);
      }
      result.written.push(agent.path);
    }
  }
  const compiled = new Set(agents.map((a) => a.path));
  const stale = Object.keys(manifest.files).filter((file) => !compiled.has(file));
  for (const file of stale) {
    const found = onDisk(dir, file);
    if (found === undefined) continue;
    if (found === manifest.files[file] || options.force) {
      if (found !== manifest.files[file]) replace.push(file);
      result.removed.push(file);
    } else result.kept.push(file);
  }
  if (replace.length > 0) result.backup = backupPath(dir, options);
  if (result.dryRun) return result;
  keep(dir, replace, result.backup);
  for (const agent of agents) if (result.written.includes(agent.path)) writeFileAtomic(join(dir, agent.path), agent.content);
  for (const file of result.removed) rmSync(join(dir, file), { force: true });
  const files: Record<string, string> = {};
  for (const agent of agents) files[agent.path] = hash(Buffer.from(agent.content));
  for (const file of result.kept) files[file] = manifest.files[file] as string;
  writeManifest(dir, files, options.version);
  return result;
}

/**
 * Remove the agents orch-prompt wrote into a folder, and nothing else: the files its manifest
 * lists, each only if nobody changed it since (with `force`, an edited one too, kept in a backup).
 *
 * @throws {UserError} `install-refused` naming an edited file; nothing has changed then.
 */
export function uninstallAgents(dir: string, options: AgentsPlaceOptions): AgentsResult {
  const manifest = readManifest(dir);
  const result: AgentsResult = { dir, written: [], unchanged: [], removed: [], kept: [], dryRun: options.dryRun === true };
  const replace: string[] = [];
  for (const [file, digest] of Object.entries(manifest.files)) {
    const found = onDisk(dir, file);
    if (found === undefined) continue;
    if (found !== digest) {
      if (!options.force) throw new UserError('install-refused', `uninstall: ${join(dir, file)} was edited since it was installed; nothing was changed. Pass --force to remove it (a backup is kept)`);
      replace.push(file);
    }
    result.removed.push(file);
  }
  if (replace.length > 0) result.backup = backupPath(dir, options);
  if (result.dryRun) return result;
  keep(dir, replace, result.backup);
  for (const file of result.removed) rmSync(join(dir, file), { force: true });
  rmSync(join(dir, agentsManifestName), { force: true });
  return result;
}

/** Move edited files to the backup folder (outside the agents folder, where Codex would load them). */
function keep(dir: string, files: readonly string[], backup: string | undefined): void {
  if (backup === undefined || files.length === 0) return;
  mkdirSync(backup, { recursive: true });
  for (const file of files) renameSync(join(dir, file), join(backup, file));
}

function writeManifest(dir: string, files: Record<string, string>, version: string): void {
  writeFileAtomic(join(dir, agentsManifestName), `${JSON.stringify({ package: 'codex-orchestration', version, files }, null, 2)}\n`);
}

import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parse as parseToml } from 'smol-toml';
import { UserError } from '../../errors/index.js';
import { isLink, linkTarget } from '../../fs/link-target.js';
import { isInside } from '../../fs/path-inside.js';
import { readTextBounded } from '../../fs/read-bounded.js';
import { writeFileAtomic } from '../../fs/write-atomic.js';
import { codexHome } from '../install-targets.js';
import { editEntry, findEntry } from './config-edit.js';
import { entryScript, forwardedVars, isOurEntry, mcpEntry, mcpMarker, mcpServerName } from './entry.js';

/** What became of the MCP entry. */
export interface McpResult {
  action: 'add' | 'update' | 'unchanged' | 'remove' | 'absent' | 'kept';
  /** The config.toml. */
  file: string;
  name: string;
  /** The entry as it is now (or would be, in a dry run). */
  entry?: Record<string, unknown>;
  /** Why an entry was left alone. */
  reason?: string;
  dryRun: boolean;
}

/** Where the entry goes: `$CODEX_HOME/config.toml`, or the project's `.codex/config.toml`. */
export function mcpConfigFile(options: { project?: boolean; cwd: string; env: Readonly<Record<string, string | undefined>> }): string {
  return options.project ? join(options.cwd, '.codex', 'config.toml') : join(codexHome(options.env), 'config.toml');
}

/** Options of {@link registerMcp}. */
export interface RegisterOptions {
  file: string;
  /** The orch-prompt script the server runs (the installed skill's). */
  script: string;
  /** The node program (default: this one). */
  node?: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Replace an entry of that name that orch-prompt did not write. */
  force?: boolean;
  dryRun?: boolean;
  /** The project folder, when `file` is its `.codex/config.toml` (`--project`). */
  project?: string;
}

/**
 * Register the MCP server in a Codex config.toml: the entry `[mcp_servers.orch]` added, or
 * replaced in place, every other line of the file as it was.
 *
 * @throws {UserError} `mcp-config` for a file that is not TOML, an entry of that name that
 * orch-prompt did not write (without `force`), or one that cannot be edited in place.
 */
export function registerMcp(options: RegisterOptions): McpResult {
  const { file } = options;
  if (options.project !== undefined) refuseProjectLinks(options.project, file);
  const text = readConfig(file);
  const found = findEntry(text, mcpServerName, file);
  if (found.value !== undefined && !isOurEntry(found.value) && options.force !== true) {
    throw new UserError('mcp-config', `${file}: mcp_servers.${mcpServerName} is not an entry orch-prompt wrote; rename or remove it, or --force replaces it`);
  }
  const vars = forwardedVars({ ...configData(join(codexHome(options.env), 'config.toml')), ...configData(file) });
  // What the user added to an entry of ours stays; one orch-prompt did not write is replaced whole.
  const entry = mcpEntry(options.node ?? process.execPath, options.script, vars, isOurEntry(found.value) ? found.value : undefined);
  const dryRun = options.dryRun === true;
  const base = { file, name: mcpServerName, entry, dryRun };
  if (isDeepStrictEqual(found.value, entry)) return { ...base, action: 'unchanged' };
  const edited = editEntry(text, mcpServerName, entry, mcpMarker, file);
  if (!dryRun) writeConfig(file, edited);
  return { ...base, action: found.value === undefined ? 'add' : 'update' };
}

/**
 * Take the entry back: only one orch-prompt wrote (another of that name is `kept`), and with
 * `within`, only when its script is inside that folder (the skill being removed).
 */
export function unregisterMcp(options: { file: string; dryRun?: boolean; within?: string; project?: string }): McpResult {
  const { file } = options;
  const base = { file, name: mcpServerName, dryRun: options.dryRun === true };
  if (!existsSync(file)) return { ...base, action: 'absent' };
  const text = readConfig(file);
  const found = findEntry(text, mcpServerName, file);
  if (found.value === undefined) return { ...base, action: 'absent' };
  if (!isOurEntry(found.value)) return { ...base, action: 'kept', entry: found.value, reason: 'orch-prompt did not write it' };
  if (options.within !== undefined && !isInside(entryScript(found.value), options.within)) return { ...base, action: 'kept', entry: found.value, reason: `its script is not in ${options.within}` };
  if (options.project !== undefined) refuseProjectLinks(options.project, file);
  if (!base.dryRun) writeConfig(file, editEntry(text, mcpServerName, undefined, mcpMarker, file));
  return { ...base, action: 'remove', entry: found.value };
}

/** The entry in `file`, when there is one (for doctor). */
export function readMcpEntry(file: string): Record<string, unknown> | undefined {
  if (!existsSync(file)) return undefined;
  return findEntry(readConfig(file), mcpServerName, file).value;
}

// Far above any real config.toml.
const maxConfigBytes = 1024 * 1024;

function readConfig(file: string): string {
  if (!existsSync(file)) return '';
  return readTextBounded(file, { maxBytes: maxConfigBytes, what: 'a Codex config.toml' });
}

/** A config file's data, `{}` when it is missing or not TOML (a broken file is refused when edited). */
export function configData(file: string): Record<string, unknown> {
  try {
    return parseToml(readConfig(file)) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/**
 * A project's `.codex` and `.codex/config.toml` are written only as the project's own: a link
 * there (which a cloned repository can ship) would send the edit anywhere, the user's own
 * `$CODEX_HOME/config.toml` included.
 *
 * @throws {UserError} `mcp-config` naming the link.
 */
function refuseProjectLinks(project: string, file: string): void {
  for (const path of [join(project, '.codex'), file]) {
    if (isLink(path)) throw new UserError('mcp-config', `${path} is a symbolic link; with --project the entry is written only into the project's own .codex/config.toml: replace the link with a folder and file, or register without --project`, { data: { path } });
  }
}


/** Written atomically through a link (a config kept in dotfiles stays a link), keeping its mode. */
function writeConfig(file: string, text: string): void {
  const target = linkTarget(file);
  writeFileAtomic(target, text, existsSync(target) ? { mode: statSync(target).mode & 0o777 } : {});
}

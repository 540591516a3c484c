import { isDeepStrictEqual } from 'node:util';
import { parse as parseToml, stringify as stringifyToml } from 'smol-toml';
import { getStaticTOMLValue, ParseError, parseTOML, type AST } from 'toml-eslint-parser';
import { UserError } from '../../errors/index.js';

// Codex's config.toml is the user's file: comments, order and spacing are theirs. An MCP server
// entry is edited surgically: the tables `[mcp_servers.NAME]` (and `[mcp_servers.NAME.*]`) are
// found with their exact text ranges (toml-eslint-parser), replaced by one block serialized by
// smol-toml, or removed; every other byte stays. The result is parsed again and must hold the
// same data with only that entry changed, or nothing is written.

/** Where an entry is in a config.toml. */
export interface EntryPlace {
  /** The entry's value (`mcp_servers.NAME`), when there is one. */
  value: Record<string, unknown> | undefined;
  /** Text ranges of its standard tables, in file order. */
  tables: Array<{ start: number; end: number }>;
  /** Given some other way (an inline table, dotted keys, an array of tables): not editable here. */
  elsewhere: boolean;
}

/**
 * Find the entry `mcp_servers.NAME` in a config's text.
 *
 * @throws {UserError} `mcp-config` when the text is not TOML (as Codex would refuse it).
 */
export function findEntry(text: string, name: string, file: string): EntryPlace {
  let program: AST.TOMLProgram;
  try {
    // TOML 1.1, as Codex 0.169 reads config.toml: an inline table over several lines, a comma
    // after its last pair, \e and \xHH escapes, times without seconds.
    program = parseTOML(text, { tomlVersion: '1.1.0' });
  } catch (error) {
    if (error instanceof ParseError) throw new UserError('mcp-config', `${file}:${error.lineNumber}:${error.column + 1}: not valid TOML (${error.message}); Codex cannot read it either: fix it first`);
    throw error;
  }
  const tables: EntryPlace['tables'] = [];
  let elsewhere = false;
  const isEntry = (path: ReadonlyArray<string | number>): boolean => path[0] === 'mcp_servers' && path[1] === name;
  for (const node of program.body[0].body) {
    if (node.type === 'TOMLTable') {
      if (isEntry(node.resolvedKey)) {
        if (node.kind === 'standard') tables.push({ start: node.range[0], end: node.range[1] });
        else elsewhere = true;
      } else for (const pair of node.body) if (isEntry([...node.resolvedKey, ...keysOf(pair)])) elsewhere = true;
    } else {
      const keys = keysOf(node);
      if (isEntry(keys) || (keys.length === 1 && keys[0] === 'mcp_servers' && node.value.type === 'TOMLInlineTable' && hasKey(node.value, name))) elsewhere = true;
    }
  }
  const data = getStaticTOMLValue(program) as { mcp_servers?: Record<string, unknown> };
  const value = data.mcp_servers?.[name];
  return { value: value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined, tables, elsewhere };
}

/**
 * `text` with the entry `mcp_servers.NAME` set to `entry` (in place of the old one, or at the
 * end), or removed when `entry` is undefined, under a `# marker` comment line.
 *
 * @throws {UserError} `mcp-config` when the entry is given in a form that cannot be edited in
 * place, or when the edit would change anything else.
 */
export function editEntry(text: string, name: string, entry: Record<string, unknown> | undefined, marker: string, file: string): string {
  const place = findEntry(text, name, file);
  if (place.elsewhere) throw new UserError('mcp-config', `${file}: mcp_servers.${name} is written in a form this tool does not edit (an inline table or dotted keys); change or remove it by hand`);
  let out = text;
  let at: number | undefined;
  // From the last range back, so the earlier offsets hold.
  for (const range of [...place.tables].reverse()) {
    const { start, end } = wholeLines(out, range.start, range.end, marker);
    out = out.slice(0, start) + out.slice(end);
    at = start;
  }
  if (entry !== undefined) {
    const block = `# ${marker}\n${stringifyToml({ mcp_servers: { [name]: entry } }).trimEnd()}\n`;
    if (at !== undefined) out = out.slice(0, at) + block + (at === out.length || out.startsWith('\n', at) ? '' : '\n') + out.slice(at);
    else out = `${out}${out === '' || out.endsWith('\n') ? '' : '\n'}${out.trim() === '' ? '' : '\n'}${block}`;
  }
  checkEdit(text, out, name, entry, file);
  return out;
}

/** A table's text widened to whole lines, with the marker comment above it and one blank line after. */
function wholeLines(text: string, start: number, end: number, marker: string): { start: number; end: number } {
  let from = text.lastIndexOf('\n', start - 1) + 1;
  const previous = text.lastIndexOf('\n', from - 2) + 1;
  if (from > 0 && text.slice(previous, from - 1) === `# ${marker}`) from = previous;
  let to = text.indexOf('\n', end);
  to = to === -1 ? text.length : to + 1;
  // One blank line goes with the block: the one before it at the end of the file, else the one after.
  if (to === text.length && from >= 2 && text.startsWith('\n\n', from - 2)) from -= 1;
  else if (text.startsWith('\n', to) && (from === 0 || text.startsWith('\n\n', from - 2))) to += 1;
  return { start: from, end: to };
}

/** The edited text must be TOML holding the old data with only the entry changed. */
function checkEdit(before: string, after: string, name: string, entry: Record<string, unknown> | undefined, file: string): void {
  const strip = (data: Record<string, unknown>): Record<string, unknown> => {
    const servers = { ...(data['mcp_servers'] as Record<string, unknown> | undefined) };
    delete servers[name];
    const { mcp_servers: _, ...rest } = data;
    return Object.keys(servers).length > 0 ? { ...rest, mcp_servers: servers } : rest;
  };
  let parsed: Record<string, unknown>;
  try {
    parsed = parseToml(after) as Record<string, unknown>;
  } catch (error) {
    throw new UserError('mcp-config', `${file}: the entry mcp_servers.${name} cannot be added without breaking the file (${(error as Error).message.split('\n')[0] ?? ''}); add it by hand`);
  }
  const now = (parsed['mcp_servers'] as Record<string, unknown> | undefined)?.[name];
  if (!isDeepStrictEqual(plain(strip(parsed)), plain(strip(parseToml(before) as Record<string, unknown>))) || !isDeepStrictEqual(plain(now), plain(entry))) {
    throw new UserError('mcp-config', `${file}: setting mcp_servers.${name} here would change other entries too; edit it by hand`);
  }
}

/** Data as plain JSON: the parser's own object and date types compare as their values. */
function plain(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

function keysOf(pair: AST.TOMLKeyValue): string[] {
  return pair.key.keys.map((k) => (k.type === 'TOMLBare' ? k.name : k.value));
}

function hasKey(table: AST.TOMLInlineTable, name: string): boolean {
  return table.body.some((pair) => keysOf(pair)[0] === name);
}

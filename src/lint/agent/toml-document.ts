import { getStaticTOMLValue, ParseError, parseTOML, type AST } from 'toml-eslint-parser';
import { checkDataNesting, guardStack, nestingFailure } from '../../markdown/limits.js';
import type { Place } from '../rule.js';

/** Where a key sits in a TOML file: the key itself, and its value (or table header). */
export interface KeyPlaces {
  key: Place;
  value: Place;
}

/** A TOML file as the agent rules read it: its data, or why it is not TOML, and where each key is. */
export interface TomlDocument {
  /** The parsed data; `{}` when the file is not valid TOML. */
  data: Record<string, unknown>;
  /** Why the file is not TOML, where (as Codex's own TOML parser would refuse it). */
  problem: { message: string; place: Place } | undefined;
  /** Where a key path (`['agents', 'max_threads']`) is first given, when it is. */
  places(path: readonly string[]): KeyPlaces | undefined;
}

const start: Place = { line: 1, column: 1 };

/**
 * Parse a TOML file (TOML 1.0, the version Codex 0.169 reads) with positions, so that a finding
 * names the exact `line:column` of a key or value. Nesting is checked before the parser runs
 * (a file opening hundreds of brackets is refused, as everywhere else in this package); numbers
 * come back as JavaScript numbers, dates as strings.
 */
export function parseTomlDocument(text: string): TomlDocument {
  let program: AST.TOMLProgram;
  try {
    checkDataNesting(text, 'yaml');
    program = guardStack(() => parseTOML(text, { tomlVersion: '1.0.0' }));
  } catch (error) {
    const nesting = nestingFailure(error);
    if (nesting) return broken(nesting.reason, nesting.place);
    if (error instanceof ParseError) return broken(lowerFirst(error.message), { line: error.lineNumber, column: error.column + 1 });
    throw error;
  }
  const index = new Map<string, KeyPlaces>();
  const record = (path: readonly (string | number)[], places: KeyPlaces): void => {
    const id = path.join('\u0000');
    if (!index.has(id)) index.set(id, places);
  };
  for (const node of program.body[0].body) {
    if (node.type === 'TOMLTable') {
      const header = { key: placeOf(node.key), value: placeOf(node.key) };
      // `[a.b]` gives `a` too; an array of tables `[[a]]` its index.
      for (let i = 1; i <= node.resolvedKey.length; i++) record(node.resolvedKey.slice(0, i), header);
      for (const pair of node.body) indexPair(pair, node.resolvedKey, record);
    } else indexPair(node, [], record);
  }
  const data = normalize(getStaticTOMLValue(program)) as Record<string, unknown>;
  return { data, problem: undefined, places: (path) => index.get(path.join('\u0000')) };
}

function broken(message: string, place: Place): TomlDocument {
  return { data: {}, problem: { message, place }, places: () => undefined };
}

function indexPair(pair: AST.TOMLKeyValue, parent: readonly (string | number)[], record: (path: readonly (string | number)[], places: KeyPlaces) => void): void {
  const keys = pair.key.keys.map((k) => (k.type === 'TOMLBare' ? k.name : k.value));
  const value = placeOf(pair.value);
  pair.key.keys.forEach((part, i) => record([...parent, ...keys.slice(0, i + 1)], { key: placeOf(part), value: i === keys.length - 1 ? value : placeOf(part) }));
  if (pair.value.type === 'TOMLInlineTable') for (const inner of pair.value.body) indexPair(inner, [...parent, ...keys], record);
}

function placeOf(node: AST.TOMLNode): Place {
  return node.loc ? { line: node.loc.start.line, column: node.loc.start.column + 1 } : start;
}

/** Big integers as numbers (Codex's limits are far below 2^53), dates as their text. */
function normalize(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(normalize);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalize(v)]));
  return value;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

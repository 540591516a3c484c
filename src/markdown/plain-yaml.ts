import { FAILSAFE_SCHEMA, load, Type } from 'js-yaml';
import { isRecord } from './is-record.js';

/**
 * Frontmatter as data, read quickly when it is plain YAML; `undefined` means "not plain: ask
 * the `yaml` package", which stays the authority on what frontmatter means and on every error.
 *
 * The `yaml` package reads a typical role's frontmatter in about 0.5 ms, js-yaml in a tenth of
 * that: for `lint` of a thousand templates, that was a fifth of the time. js-yaml reads here
 * with a schema of YAML 1.2's core scalars resolved exactly as `yaml` resolves them (its
 * regular expressions and values), and only what both read alike is taken from it:
 * - no anchors, aliases, tags, directives, complex keys or reserved characters starting a
 *   token, no tab, carriage return or control character, no quoted scalar or flow collection
 *   spread over lines;
 * - the result is a mapping whose keys (at every depth) are names (`output-schema`, `max`),
 *   never `__proto__`, a number, a null or a boolean word;
 * - js-yaml found nothing wrong (a duplicate key, a bad indent: the slow path reports it).
 * Over every frontmatter of the repository, the adversarial corpus and thousands of generated
 * variants, the test checks that whatever this returns is what `yaml` reads, with no error.
 */
export function readPlainYaml(text: string): Record<string, unknown> | undefined {
  if (!mayBePlain(text)) return undefined;
  let data: unknown;
  try {
    data = load(text, { schema: coreSchema });
  } catch {
    return undefined;
  }
  return isRecord(data) && plainKeys(data, 0) ? data : undefined;
}

const scalar = (tag: string, test: RegExp, construct: (text: string) => unknown): Type =>
  new Type(`tag:yaml.org,2002:${tag}`, { kind: 'scalar', resolve: (text: unknown) => typeof text === 'string' && test.test(text), construct });

/**
 * YAML 1.2 core scalars, as the `yaml` package's core schema tests and resolves them (one type
 * per tag: js-yaml keeps only the last of several with the same tag).
 */
const coreSchema = FAILSAFE_SCHEMA.extend({
  implicit: [
    scalar('null', /^(?:~|[Nn]ull|NULL)?$/, () => null),
    scalar('bool', /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (text) => text[0] === 't' || text[0] === 'T'),
    scalar('int', /^(?:0o[0-7]+|[-+]?[0-9]+|0x[0-9a-fA-F]+)$/, (text) =>
      text.startsWith('0o') ? parseInt(text.slice(2), 8) : text.startsWith('0x') ? parseInt(text.slice(2), 16) : parseInt(text, 10),
    ),
    scalar('float', /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+|[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*))$/, (text) =>
      /nan$/i.test(text) ? NaN : /inf$/i.test(text) ? (text[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY) : parseFloat(text),
    ),
  ],
});

/** Printable characters, line feeds and spaces only (no tab, CR, control or astral character). */
const plainCharacters = /^[\n\x20-\x7e\u00a0-\ud7ff\ue000-\ufffd]*$/;
/**
 * A token starting with an anchor, alias, tag or reserved character; a comment with no space
 * before it after a collection or a quote; a directive; a complex key; a document marker.
 */
const notPlain = /(?:^|[\s[\]{},])[&*!@`]|[\]}"']#|^[ ]*(?:%|\?(?:[ ]|$)|---|\.\.\.)/m;

function mayBePlain(text: string): boolean {
  if (!plainCharacters.test(text) || notPlain.test(text)) return false;
  return text.split('\n').every(lineIsPlain);
}

/**
 * Whether a line closes what it opens: every quoted scalar that starts on it ends on it, and
 * so does every flow collection (`[`, `{`). Brackets and quotes in plain text count too: at
 * worst a plain document takes the slow path.
 */
function lineIsPlain(line: string): boolean {
  let depth = 0;
  let tokenStart = true;
  for (let at = 0; at < line.length; at++) {
    const character = line[at];
    if ((character === '"' || character === "'") && tokenStart) {
      at = closingQuote(line, at);
      if (at === -1) return false;
      tokenStart = false;
      continue;
    }
    if (character === '#' && tokenStart) break;
    if (character === '[' || character === '{') depth++;
    else if (character === ']' || character === '}') depth--;
    tokenStart = character === ' ' || character === '[' || character === '{' || character === ',';
  }
  return depth === 0;
}

/** Where the quoted scalar opening at `open` ends on its line, or -1. */
function closingQuote(line: string, open: number): number {
  const quote = line[open];
  for (let at = open + 1; at < line.length; at++) {
    if (quote === '"' && line[at] === '\\') at++;
    else if (line[at] === quote) {
      if (quote === "'" && line[at + 1] === "'") at++;
      else return at;
    }
  }
  return -1;
}

const keyName = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const reservedWords = new Set(['null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE', '__proto__']);

function plainKeys(value: unknown, depth: number): boolean {
  if (depth > 64) return false;
  if (Array.isArray(value)) return value.every((item) => plainKeys(item, depth + 1));
  if (!isRecord(value)) return true;
  for (const [key, item] of Object.entries(value)) {
    if (key.length > 1024 || !keyName.test(key) || reservedWords.has(key) || !plainKeys(item, depth + 1)) return false;
  }
  // js-yaml keeps a `__proto__` key as an own property; anything else on the prototype is not plain.
  return Object.getPrototypeOf(value) === Object.prototype;
}

import matter, { type GrayMatterOption } from 'gray-matter';
import { LineCounter, parseDocument as parseYamlDocument } from 'yaml';
import { deepBracketPlace, deepLinePlace, guardStack, maxNesting, nestingFailure } from './limits.js';
import { isRecord } from './is-record.js';
import { readPlainYaml } from './plain-yaml.js';
import type { Point } from './point.js';

export { isRecord };

/** Why the frontmatter of a document could not be read. */
export interface FrontmatterProblem {
  /**
   * What is wrong: a fence naming another language than YAML, no closing fence, a closing
   * fence with text after `---` (gray-matter closes there; we refuse to guess), YAML that does
   * not parse, aliases that cannot be expanded, nesting over the limit, or data that is not a
   * mapping.
   */
  code: 'language' | 'unclosed' | 'fence' | 'yaml' | 'alias' | 'nesting' | 'mapping';
  message: string;
  /** Where the problem is in the original file (frontmatter lines counted). */
  place: Point;
}

/** The frontmatter block as it stands in the file. */
export interface Frontmatter {
  /** The YAML text between the `---` fences. */
  raw: string;
  /** Parsed data; `{}` when the YAML does not parse or is not a mapping. */
  data: Record<string, unknown>;
  /** 1-based line of the first YAML line (the line after the opening `---`). */
  startLine: number;
  /** 1-based line of the closing `---` (or the last line when the fence is never closed). */
  endLine: number;
  /** Whether a closing `---` was found. */
  closed: boolean;
  /** Set when the YAML does not parse or is not a mapping. */
  problem?: FrontmatterProblem;
}

/** Alias expansions allowed in frontmatter: enough for any real use, not for a billion laughs. */
const maxAliasCount = 50;

/** What the first line of a file says about frontmatter. */
type Opening = { kind: 'yaml' } | { kind: 'language'; fence: string } | undefined;

function opening(firstLine: string): Opening {
  if (!firstLine.startsWith('---')) return undefined;
  const rest = firstLine.slice(3);
  if (rest.trim() === '') return { kind: 'yaml' };
  // `----` or `--- - -` is a thematic break, not a fence.
  if (/^[-\s]*$/.test(rest)) return undefined;
  return { kind: 'language', fence: firstLine.trimEnd() };
}

/**
 * gray-matter finds the fences and nothing more. Its default engines include `javascript`, which
 * runs `---js` frontmatter as code, so every engine it knows is replaced by one that parses
 * nothing, and it is only ever shown a first line `---` alone (a fence naming a language is
 * refused before it is called). The YAML between the fences is then parsed by `yaml`, as data
 * only and with positions.
 */
const inert = { parse: (): Record<string, never> => ({}) };
interface FencesOnly extends GrayMatterOption<string, FencesOnly> {}
const fencesOnly: FencesOnly = {
  language: 'yaml',
  engines: { yaml: inert, yml: inert, json: inert, javascript: inert, js: inert, coffee: inert, cson: inert, toml: inert },
};

/** Where the fences are: the YAML text between them, and where the body starts. */
interface Fences {
  yamlText: string;
  /** Offset in the file where the body starts (after the closing fence's line ending). */
  prefixLength: number;
  /** 1-based line of the closing fence, or of the last line when it is never closed. */
  endLine: number;
  closed: boolean;
  /** The closing fence's line as written (without its line ending). */
  closingLine: string;
}

/** Split the frontmatter from the body with gray-matter, the first line read as `---` alone. */
function findFences(text: string, firstLineEnd: number): Fences {
  // The first line (with any language name or trailing spaces) is shown as `---`; every offset
  // after it is moved back by what was left out.
  const shift = firstLineEnd - 3;
  const shown = `---${text.slice(firstLineEnd)}`;
  const file = matter(shown, fencesOnly);
  const afterOpening = 3 + file.matter.length;
  const closed = shown.length - file.content.length > afterOpening;
  const yamlText = file.matter.replace(/^\r?\n/, '').replace(/\r$/, '');
  const lineCount = (upTo: number): number => {
    let lines = 1;
    for (let at = text.indexOf('\n'); at !== -1 && at < upTo; at = text.indexOf('\n', at + 1)) lines++;
    return lines;
  };
  if (!closed) return { yamlText, prefixLength: text.length, endLine: Math.max(1, lineCount(text.replace(/\r?\n$/, '').length)), closed, closingLine: '' };
  const closingStart = shift + afterOpening + 1;
  return {
    yamlText,
    prefixLength: text.length - file.content.length,
    endLine: lineCount(closingStart),
    closed,
    closingLine: text.slice(closingStart, lineEnd(text, closingStart).end),
  };
}

/**
 * Find the frontmatter: a first line `---` (trailing spaces allowed) and the next line that
 * starts with `---`. The YAML between is parsed as data only (no custom tags, aliases capped).
 */
export function readFrontmatter(text: string): { frontmatter: Frontmatter; prefixLength: number } | undefined {
  const firstEnd = lineEnd(text, 0);
  const open = opening(text.slice(0, firstEnd.end));
  if (!open) return undefined;
  const { yamlText, prefixLength, endLine, closed, closingLine } = findFences(text, firstEnd.end);
  const startLine = 2;
  const frontmatter: Frontmatter = { raw: yamlText, data: {}, startLine, endLine, closed };
  const problem = (code: FrontmatterProblem['code'], message: string, place: Point): { frontmatter: Frontmatter; prefixLength: number } => {
    frontmatter.problem = { code, message, place };
    return { frontmatter, prefixLength };
  };
  if (open.kind === 'language') {
    return problem('language', `the opening fence \`${open.fence}\` names a language, expected a line \`---\` alone: only YAML frontmatter is read`, { line: 1, column: 4 });
  }
  if (!closed) return problem('unclosed', 'frontmatter is never closed: expected a line `---` after the YAML', { line: 1, column: 1 });
  if (!/^---[ \t]*$/.test(closingLine)) {
    return problem('fence', `the closing fence \`${closingLine.trimEnd()}\` has text after \`---\`, expected a line \`---\` alone`, { line: endLine, column: 4 });
  }
  const deep = deepBracketPlace(yamlText, 'yaml') ?? deepLinePlace(yamlText);
  if (deep) return problem('nesting', `frontmatter nests too deep (over ${maxNesting} levels), expected a few levels at most`, { line: startLine + deep.line - 1, column: deep.column });
  const plain = readPlainYaml(yamlText);
  if (plain) {
    frontmatter.data = plain;
    return { frontmatter, prefixLength };
  }
  const lineCounter = new LineCounter();
  let data: unknown;
  try {
    const doc = guardStack(() => parseYamlDocument(yamlText, { lineCounter, prettyErrors: false }));
    const error = doc.errors[0];
    if (error) {
      const pos = lineCounter.linePos(error.pos[0]);
      return problem('yaml', firstLine(error.message), { line: startLine + pos.line - 1, column: pos.col });
    }
    data = guardStack(() => doc.toJS({ maxAliasCount }) as unknown);
  } catch (error) {
    // An alias without its anchor, too many alias expansions, nesting the guard caught.
    const nesting = nestingFailure(error);
    if (nesting) return problem('nesting', nesting.reason, { line: startLine, column: 1 });
    // The error has no position; an unresolved alias is found by its name.
    const alias = /Unresolved alias[^:]*:\s*(\S+)/.exec(error instanceof Error ? error.message : '')?.[1];
    const at = alias === undefined ? -1 : yamlText.search(new RegExp(`\\*${alias.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`));
    const place = at === -1 ? { line: startLine, column: 1 } : { line: startLine + lineCounter.linePos(at).line - 1, column: lineCounter.linePos(at).col };
    return problem('alias', aliasReason(error), place);
  }
  if (data === null || data === undefined) return { frontmatter, prefixLength };
  if (!isRecord(data)) return problem('mapping', 'frontmatter must be a YAML mapping of keys to values', { line: startLine, column: 1 });
  frontmatter.data = data;
  return { frontmatter, prefixLength };
}

function aliasReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/Excessive alias count/i.test(message)) return `frontmatter expands YAML aliases more than ${maxAliasCount} times, expected plain values`;
  if (/Unresolved alias/i.test(message)) {
    const name = /:\s*(\S+)\s*$/.exec(firstLine(message))?.[1] ?? '';
    return `frontmatter uses the alias \`*${name}\` without an anchor \`&${name}\` before it, expected the anchor first`;
  }
  return `frontmatter YAML cannot be read (${firstLine(message)}), expected plain YAML values`;
}

/** End of the line starting at `from` (before its line ending) and start of the next one. */
function lineEnd(text: string, from: number): { end: number; next: number } {
  const newline = text.indexOf('\n', from);
  if (newline === -1) return { end: text.length, next: text.length };
  return { end: newline > from && text[newline - 1] === '\r' ? newline - 1 : newline, next: newline + 1 };
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).trim();
}

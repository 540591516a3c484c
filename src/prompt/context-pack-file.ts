import { extname, resolve } from 'node:path';
import type { Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { getNodeValue, parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { LineCounter, parseDocument } from 'yaml';
import { UserError } from '../errors/index.js';
import { fileReadFailure, readTextBounded } from '../fs/read-bounded.js';
import { checkDataNesting, guardStack, isRecord, nestingFailure, parseMarkdown } from '../markdown/index.js';
import type { ContextPackTemplate } from '../templates/model.js';
import { closest, quoteList } from '../text/closest.js';

/**
 * A context pack is what a worker needs to know, not the material itself: this is twenty times
 * a prompt's whole budget (pasting a large document works, with a budget warning).
 */
export const maxContextPackBytes = 1024 * 1024;

/**
 * Lines a Markdown pack may have. Parsing costs per block, not per byte: a megabyte of prose is
 * cheap, a megabyte of one-line sections would take the parser seconds and hundreds of
 * megabytes (it keeps about half a kilobyte per byte of such input). This keeps the worst
 * within tens of megabytes.
 */
export const maxMarkdownPackLines = 10_000;

/** Alias expansions allowed in a YAML context pack (a billion laughs stops here). */
const maxAliasCount = 50;

/**
 * Read a context pack from a file: Markdown with one heading per field (`## Goal`), or a YAML
 * or JSON mapping keyed by field flag (`goal`, `non-goals`, ...) or label.
 *
 * The read is bounded: a regular file (a FIFO or a device is refused without reading), at most
 * {@link maxContextPackBytes} (and {@link maxMarkdownPackLines} for Markdown), UTF-8 (a
 * byte-order mark is skipped), nesting checked before any parser runs. CR LF line endings are fine.
 *
 * @returns values by field flag.
 * @throws {UserError} `context-pack-file` when the file cannot be read or does not parse,
 * saying where.
 */
export function readContextPackFile(path: string, pack: ContextPackTemplate, options: { cwd?: string } = {}): Record<string, string> {
  let text: string;
  try {
    text = readTextBounded(resolve(options.cwd ?? '.', path), { maxBytes: maxContextPackBytes, what: 'a context pack' });
  } catch (error) {
    const failure = fileReadFailure(error);
    if (!failure) throw error;
    throw new UserError('context-pack-file', `cannot read context pack \`${path}\`: ${failure.reason}`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const ext = extname(path).toLowerCase();
  try {
    if (ext === '.md' || ext === '.markdown') {
      const lines = lineCount(text);
      if (lines > maxMarkdownPackLines) {
        throw new UserError('context-pack-file', `context pack \`${path}\` has ${lines.toLocaleString('en')} lines, over the ${maxMarkdownPackLines.toLocaleString('en')} a Markdown pack may have: point to the material instead of pasting it`);
      }
      return fromMarkdown(text, path, pack);
    }
    if (ext === '.json') return fromData(parseJson(text, path), path, pack);
    return fromData(parseYaml(text, path), path, pack);
  } catch (error) {
    if (nestingFailure(error)) throw new UserError('context-pack-file', `context pack \`${path}\` does not parse: ${(error as Error).message}`);
    throw error;
  }
}

function lineCount(text: string): number {
  let count = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

function fieldFor(key: string, path: string, pack: ContextPackTemplate, where: string): string {
  const normal = key.trim().toLowerCase().replace(/[:\s]+$/, '');
  for (const field of pack.fields) {
    if (normal === field.flag || normal === field.label.toLowerCase() || normal.replace(/\s+/g, '-') === field.flag) return field.flag;
  }
  const names = pack.fields.map((f) => f.label);
  const match = closest(normal, pack.fields.flatMap((f) => [f.flag, f.label.toLowerCase()]));
  const label = pack.fields.find((f) => f.flag === match || f.label.toLowerCase() === match)?.label;
  throw new UserError(
    'context-pack-file',
    `context pack \`${path}\`${where}: unknown field \`${key}\`, expected one of ${quoteList(names)}${label ? ` (did you mean \`${label}\`?)` : ''}`,
  );
}

function fromMarkdown(text: string, path: string, pack: ContextPackTemplate): Record<string, string> {
  const tree: Root = parseMarkdown(text);
  const out: Record<string, string> = {};
  const headings = tree.children.flatMap((node, index) => (node.type === 'heading' ? [{ node, index }] : []));
  const top = headings.reduce((min, h) => Math.min(min, h.node.depth), 6);
  const fieldHeadings = headings.filter((h) => h.node.depth === top);
  const firstIndex = fieldHeadings[0]?.index ?? tree.children.length;
  const stray = tree.children.slice(0, firstIndex).find((node) => node.type !== 'html');
  if (fieldHeadings.length === 0 || stray) {
    const line = stray?.position?.start.line ?? 1;
    throw new UserError('context-pack-file', `context pack \`${path}\` does not parse: line ${line}: expected a heading per field (## Goal, ## Constraints, ...)`);
  }
  const seen = new Set<string>();
  fieldHeadings.forEach(({ node, index }, i) => {
    const flag = fieldFor(toString(node), path, pack, ` line ${node.position?.start.line ?? 1}`);
    if (seen.has(flag)) throw duplicate(path, toString(node), ` line ${node.position?.start.line ?? 1}`);
    seen.add(flag);
    const end = fieldHeadings[i + 1]?.index ?? tree.children.length;
    const body = tree.children.slice(index + 1, end);
    const from = body[0]?.position?.start.offset;
    const to = body.at(-1)?.position?.end.offset;
    if (from === undefined || to === undefined) return;
    out[flag] = text.slice(from, to).trim();
  });
  return out;
}

function parseYaml(text: string, path: string): unknown {
  checkDataNesting(text, 'yaml');
  const lineCounter = new LineCounter();
  // The failsafe schema keeps every scalar as written: `1.10` stays `1.10`, not the number 1.1.
  const doc = guardStack(() => parseDocument(text, { lineCounter, prettyErrors: false, schema: 'failsafe' }));
  const error = doc.errors[0];
  if (error) {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    throw new UserError('context-pack-file', `context pack \`${path}\` does not parse: line ${line}, column ${col}: ${error.message.split('\n')[0]}`);
  }
  try {
    return guardStack(() => doc.toJS({ maxAliasCount }) as unknown);
  } catch (error) {
    if (nestingFailure(error)) throw error;
    const message = error instanceof Error ? error.message : String(error);
    const reason = /Excessive alias count/i.test(message)
      ? `it expands YAML aliases more than ${maxAliasCount} times, expected plain values`
      : /Unresolved alias/i.test(message)
        ? `an alias has no anchor before it (${message.split('\n')[0]}), expected the anchor first`
        : (message.split('\n')[0] ?? message);
    throw new UserError('context-pack-file', `context pack \`${path}\` does not parse: ${reason}`);
  }
}

function parseJson(text: string, path: string): unknown {
  checkDataNesting(text, 'json');
  const errors: ParseError[] = [];
  const tree = guardStack(() => parseTree(text, errors, { allowTrailingComma: false, disallowComments: true }));
  const error = errors[0];
  if (error) {
    throw new UserError('context-pack-file', `context pack \`${path}\` does not parse: ${lineColumn(text, error.offset)}: ${describeJsonError(error.error)}`);
  }
  // JSON.parse would keep the last of two equal keys without a word; say which one repeats.
  const keys = new Set<string>();
  for (const property of tree?.type === 'object' ? (tree.children ?? []) : []) {
    const key = property.children?.[0];
    if (key === undefined) continue;
    const name = String(key.value).toLowerCase();
    if (keys.has(name)) throw duplicate(path, String(key.value), ` ${lineColumn(text, key.offset)}`);
    keys.add(name);
  }
  return tree === undefined ? undefined : guardStack(() => getNodeValue(tree));
}

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
}

function duplicate(path: string, field: string, where: string): UserError {
  return new UserError('context-pack-file', `context pack \`${path}\`${where}: field \`${field}\` appears twice`);
}

function describeJsonError(code: number): string {
  const name = printParseErrorCode(code);
  return name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

function fromData(data: unknown, path: string, pack: ContextPackTemplate): Record<string, string> {
  if (!isRecord(data)) {
    throw new UserError('context-pack-file', `context pack \`${path}\` does not parse: expected a mapping of fields (goal, constraints, ...)`);
  }
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(data)) {
    const flag = fieldFor(key, path, pack, '');
    if (value === null || value === undefined) continue;
    if (flag in out) throw duplicate(path, key, '');
    if (Array.isArray(value)) out[flag] = value.map((item) => `- ${scalar(item, path, key)}`).join('\n');
    else out[flag] = scalar(value, path, key);
  }
  return out;
}

function scalar(value: unknown, path: string, key: string): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new UserError('context-pack-file', `context pack \`${path}\`: field \`${key}\` must be text or a list of text`);
}

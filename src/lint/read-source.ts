import { readFileSync } from 'node:fs';
import type { Place } from './rule.js';

/** Templates are a few KB; anything past this is not a template and is not parsed. */
export const maxTemplateBytes = 1024 * 1024;

/**
 * Markdown parsing time grows steeply with nesting depth (a list nested 400 deep takes
 * seconds), and no template needs more than a handful of levels: a line that opens this many
 * levels of indentation, quotes or list markers is refused instead of parsed.
 */
export const maxNesting = 256;
const tooDeep = new RegExp(`^(?:[ \\t>]|[-*+][ \\t]|\\d{1,9}[.)][ \\t]){${maxNesting},}`, 'm');

/** A file's text, or why it cannot be linted as text. */
export type SourceText = { ok: true; text: string } | { ok: false; reason: string; place?: Place };

/**
 * Read a file as UTF-8 text for linting. Binary files, files over {@link maxTemplateBytes}
 * and invalid UTF-8 are refused with a reason (and, for bad bytes, where they are), so that
 * the caller reports one clear per-file error instead of linting garbage.
 */
export function readSource(path: string): SourceText {
  const bytes = readFileSync(path);
  return decodeSource(bytes);
}

/** Decode bytes as {@link readSource} does. */
export function decodeSource(bytes: Uint8Array): SourceText {
  if (bytes.byteLength > maxTemplateBytes) {
    return { ok: false, reason: `file is ${formatSize(bytes.byteLength)}, over the ${formatSize(maxTemplateBytes)} a template may have` };
  }
  const head = bytes.subarray(0, 8000);
  if (head.includes(0)) return { ok: false, reason: 'binary file (it holds NUL bytes), expected a Markdown template' };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, reason: 'not valid UTF-8, expected a UTF-8 Markdown file', place: firstInvalid(bytes) };
  }
  const deep = tooDeep.exec(text);
  if (deep) {
    const line = (text.slice(0, deep.index).match(/\n/g)?.length ?? 0) + 1;
    return { ok: false, reason: `nesting too deep (over ${maxNesting} levels of indentation, quotes or list markers on one line), expected a template with a few levels at most`, place: { line, column: 1 } };
  }
  return { ok: true, text };
}

/** Where the first byte that is not valid UTF-8 sits (line and character column). */
function firstInvalid(bytes: Uint8Array): Place {
  const lossy = new TextDecoder('utf-8').decode(bytes);
  let line = 1;
  let column = 1;
  let byte = 0;
  for (const char of lossy) {
    const size = Buffer.byteLength(char);
    if (char === '\ufffd' && !(bytes[byte] === 0xef && bytes[byte + 1] === 0xbf && bytes[byte + 2] === 0xbd)) return { line, column };
    // A replacement character stands for 1-3 invalid bytes; skipping 1 keeps lines right (newlines are ASCII).
    byte += char === '\ufffd' ? 1 : size;
    if (char === '\n') {
      line++;
      column = 1;
    } else column += char.length;
  }
  return { line, column };
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`;
}

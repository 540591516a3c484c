import { decodeText, fileReadFailure, formatSize, readFileBounded } from '../fs/read-bounded.js';
import { deepLinePlace, maxNesting } from '../markdown/limits.js';
import { maxTemplateBytes } from '../templates/template-files.js';
import type { Place } from './rule.js';

/** A file's text, or why it cannot be linted as text. */
export type SourceText = { ok: true; text: string } | { ok: false; reason: string; place?: Place };

/**
 * Read a file as UTF-8 text for linting, within the limits every template read has: a regular
 * file (a FIFO or a device is refused without reading it), at most `maxTemplateBytes`, text
 * that decodes as UTF-8, nesting the Markdown parser can take. Anything else is a reason (and,
 * for bad bytes or deep nesting, a place) for one per-file error, never a crash or a hang.
 */
export function readSource(path: string): SourceText {
  let bytes: Uint8Array;
  try {
    bytes = readFileBounded(path, { maxBytes: maxTemplateBytes, what: 'a template' });
  } catch (error) {
    const failure = fileReadFailure(error);
    if (failure) return { ok: false, reason: `cannot read the file: ${failure.reason}` };
    throw error;
  }
  return decodeSource(bytes);
}

/** Check bytes already in memory as {@link readSource} does. */
export function decodeSource(bytes: Uint8Array): SourceText {
  if (bytes.byteLength > maxTemplateBytes) {
    return { ok: false, reason: `file is ${formatSize(bytes.byteLength)}, over the ${formatSize(maxTemplateBytes)} a template may have` };
  }
  let text: string;
  try {
    text = decodeText(bytes, '');
  } catch (error) {
    const failure = fileReadFailure(error);
    if (!failure) throw error;
    return { ok: false, reason: failure.reason, ...(failure.place ? { place: failure.place } : {}) };
  }
  const place = deepLinePlace(text);
  if (place) {
    return { ok: false, reason: `nesting too deep (over ${maxNesting} levels of indentation, quotes or list markers on one line), expected a template with a few levels at most`, place };
  }
  return { ok: true, text };
}

import { directiveComments } from '../../templates/lint-directives.js';
import { defineRule } from '../rule.js';
import { nodeIndex, sourceOf } from '../scan.js';
import type { TemplateLintInput } from '../template-input.js';

// Zero-width characters, bidirectional controls and Unicode tag characters (which spell out
// ASCII invisibly): invisible to a reviewer, read by the model.
const invisible = /[\u200B-\u200D\u2060-\u2064\uFEFF\u00AD\u180E]+|[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]+|[\u{E0000}-\u{E007F}]+/gu;
// Variation selectors: one after an emoji picks its style; anything else can carry hidden data.
const selectors = /[\uFE00-\uFE0F\u{E0100}-\u{E01EF}]+/gu;
const emoji = /\p{Emoji}$/u;
// Control characters (escape sequences start with ESC), and a carriage return that is not part
// of a line ending: in a terminal it rewrites the line before it.
const control = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]+|\r(?!\n)/g;
const comment = /<!--([^]*?)(?:-->|$)/g;
// Any character the three patterns above look for (\uDB40 leads every tag character and
// supplementary variation selector): most files have none and skip them at once.
const suspicious = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFE00-\uFE0F\uFEFF\uDB40]|\r(?!\n)/;
// HTML that hides what it holds: the `hidden` attribute, CSS that hides, elements never shown.
const hidingHtml =
  /<[a-z][\w-]*\b[^>]*?\s(?:hidden\b|aria-hidden\s*=\s*["']?true)[^>]*>|<[a-z][\w-]*\b[^>]*?\sstyle\s*=\s*["'][^"']*?(?:display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?![.\d]*[1-9])|opacity\s*:\s*0(?![.\d]*[1-9])|color\s*:\s*transparent)[^>]*>|<(?:template|script|style|noscript|object|iframe)\b[^>]*>/gi;

/**
 * Nothing in a template may be hidden from the person reviewing it: a rendered Markdown view
 * (and often an editor) hides these, the worker reads them.
 */
export default defineRule<TemplateLintInput>({
  id: 'hidden-content',
  appliesTo: 'template',
  severity: 'error',
  summary: 'No invisible or control characters, and no text hidden in HTML comments, lint directives, hidden HTML or unused link definitions.',
  messages: {
    invisible: 'invisible character {codes} ({what}), expected visible text only: a reviewer cannot see it, the worker reads it',
    control: 'control character {codes} ({what}), expected visible text only: it acts on a terminal instead of printing',
    comment: 'HTML comment with text `{excerpt}`, expected visible text: rendered Markdown hides it, the worker reads it',
    directive: 'lint directive holds `{excerpt}` besides rule ids, expected only rule ids in it{hint}: rendered Markdown hides the comment',
    definition: 'link definition `{excerpt}` is never used, expected visible text: rendered Markdown hides it (the `[//]: # (...)` comment trick), the worker reads it',
    html: 'HTML `{excerpt}` hides what it holds, expected visible text: rendered Markdown hides it, the worker reads it',
  },
  check(input, report) {
    if (suspicious.test(input.text)) {
      for (const found of hiddenCharacters(input.text)) report(found.messageId, input.pointAt(found.index), { codes: found.codes, what: found.what });
    }
    // A YAML escape (`"\e"`, `"\u202e"`) hides the character from the file itself: look at the
    // values too, and report those the file does not show literally. An escape needs a backslash.
    const raw = input.doc.frontmatter?.raw ?? '';
    for (const [path, value] of raw.includes('\\') ? stringsIn(input.data, []) : []) {
      if (!suspicious.test(value)) continue;
      for (const found of hiddenCharacters(value)) {
        if ([...found.text].every((char) => raw.includes(char))) continue;
        report(found.messageId, input.frontmatterPlace(path), { codes: found.codes, what: `${found.what}, written as a YAML escape` });
      }
    }
    const index = nodeIndex(input.doc.tree);
    for (const node of index.html) {
      const source = sourceOf(input, node);
      if (!source) continue;
      for (const match of source.text.matchAll(comment)) {
        const text = (match[1] ?? '').trim();
        if (text === '' || directiveComments(match[0]).length > 0) continue;
        report('comment', input.pointAt(source.offset + match.index), { excerpt: excerpt(text) });
      }
      for (const match of source.text.replace(comment, (whole) => ' '.repeat(whole.length)).matchAll(hidingHtml)) {
        report('html', input.pointAt(source.offset + match.index), { excerpt: excerpt(match[0]) });
      }
    }
    for (const { stray } of input.directives) {
      if (stray) report('directive', input.pointAt(stray.offset), { excerpt: excerpt(stray.text), hint: stray.hint });
    }
    for (const node of index.definitions) {
      if (index.referenced.has(node.identifier)) continue;
      const source = sourceOf(input, node);
      if (source) report('definition', input.pointAt(source.offset), { excerpt: excerpt(source.text) });
    }
  },
});

/** Invisible and control characters in a text, each run with its place and kind. */
function hiddenCharacters(text: string): Array<{ index: number; text: string; codes: string; what: string; messageId: 'invisible' | 'control' }> {
  const out: Array<{ index: number; text: string; codes: string; what: string; messageId: 'invisible' | 'control' }> = [];
  for (const match of text.matchAll(invisible)) {
    const what = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/.test(match[0]) ? 'bidirectional control' : /[\u{E0000}-\u{E007F}]/u.test(match[0]) ? 'tag character' : 'zero-width';
    out.push({ index: match.index, text: match[0], codes: codesOf(match[0]), what, messageId: 'invisible' });
  }
  for (const match of text.matchAll(selectors)) {
    const single = match[0] === '\uFE0E' || match[0] === '\uFE0F';
    if (single && emoji.test(text.slice(Math.max(0, match.index - 2), match.index))) continue;
    out.push({ index: match.index, text: match[0], codes: codesOf(match[0]), what: 'variation selector', messageId: 'invisible' });
  }
  for (const match of text.matchAll(control)) {
    const what = match[0].includes('\u001b') ? 'a terminal escape sequence' : match[0] === '\r' ? 'a carriage return that is not a line ending' : 'a control character';
    out.push({ index: match.index, text: match[0], codes: codesOf(match[0]), what, messageId: 'control' });
  }
  return out.sort((a, b) => a.index - b.index);
}

/** Every string in frontmatter data, with its path (keys as well as values). */
function stringsIn(value: unknown, path: Array<string | number>): Array<[Array<string | number>, string]> {
  if (typeof value === 'string') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((item, i) => stringsIn(item, [...path, i]));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, item]): Array<[Array<string | number>, string]> => [...stringsIn(key, [...path, key]), ...stringsIn(item, [...path, key])]);
  }
  return [];
}

function codesOf(text: string): string {
  return [...new Set([...text].map((char) => `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`))].join(', ');
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 40 ? `${flat.slice(0, 40)}...` : flat;
}

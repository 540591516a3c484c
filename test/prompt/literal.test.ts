import { describe, expect, it } from 'vitest';
import { stringifyMarkdown } from '../../src/markdown/stringify.js';
import { literal, plainValue } from '../../src/prompt/substitute.js';

// A value is filled in as plain text when the serializer prints it unchanged, else as inline
// code. `plainValue` answers that without running the serializer (the prompt's start-up): it
// must never say "plain" for a value the serializer would change.

const printed = (value: string): string => stringifyMarkdown({ type: 'paragraph', children: [{ type: 'text', value }] }).replace(/\n$/, '');

/** Every string of `alphabet` up to `length` characters. */
function* strings(alphabet: readonly string[], length: number, prefix = ''): Generator<string> {
  if (prefix !== '') yield prefix;
  if (prefix.length === length) return;
  for (const c of alphabet) yield* strings(alphabet, length, prefix + c);
}

describe('plain values', () => {
  it('takes the values of everyday calls', () => {
    for (const value of ['src/', 'README.md', 'read-only', 'may edit src/cli/ only', 'risks, security', 'v1.2.3', '2026-12-07', 'https://example.com/a/b', '50%', 'user@host']) {
      expect(plainValue.test(value), value).toBe(true);
      expect(literal(value)).toEqual({ type: 'text', value });
    }
  });

  it('says plain only for what the serializer prints unchanged: every string of up to 4 characters of its alphabet and its neighbours', () => {
    // The characters it allows, with each class twice, and the ones next to them in ASCII.
    const alphabet = ['a', 'Z', '0', '9', '/', ',', '.', ':', ';', '@', '%', '-', ' ', ')', '_', '+', '*', '#', '!', '[', '&', '<'];
    let plain = 0;
    for (const value of strings(alphabet, 4)) {
      if (!plainValue.test(value)) continue;
      plain += 1;
      expect(printed(value), JSON.stringify(value)).toBe(value);
    }
    expect(plain).toBeGreaterThan(10_000);
  });

  it('says plain only for what the serializer prints unchanged: longer values at random', () => {
    // Mostly parts it allows, so that thousands of values are plain; the rest are near misses.
    const allowed = ['src', '/', 'a', 'Z', '9', '1.', '-', '--', ' ', '.', ',', ':', ';', '@', '%', '12', '.5', '- '];
    const parts = [...allowed, ...allowed, ...allowed, '1)', '  ', '_', '*', '`', '<a', '&amp;', '#', '\t', 'é', '\u00a0'];
    let seed = 7;
    const next = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    let plain = 0;
    for (let i = 0; i < 20_000; i++) {
      let value = '';
      const n = 1 + Math.floor(next() * 12);
      for (let j = 0; j < n; j++) value += parts[Math.floor(next() * parts.length)];
      if (!plainValue.test(value)) continue;
      plain += 1;
      expect(printed(value), JSON.stringify(value)).toBe(value);
    }
    expect(plain).toBeGreaterThan(1_000);
  });

  it('leaves the serializer to decide the rest, and keeps what it would escape as inline code', () => {
    for (const value of ['1. first', '- item', ' padded', 'a  b', 'src/__init__.py', '#1', 'café']) expect(plainValue.test(value), value).toBe(false);
    expect(literal('src/__init__.py')).toEqual({ type: 'inlineCode', value: 'src/__init__.py' });
    expect(literal('1. first')).toEqual({ type: 'inlineCode', value: '1. first' });
    expect(literal('café')).toEqual({ type: 'text', value: 'café' });
  });
});

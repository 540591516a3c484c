import { readFileSync } from 'node:fs';
import { attention } from 'micromark-core-commonmark';
import type { Event, Resolver } from 'micromark-util-types';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { checkMarkdownNesting } from '../../src/markdown/index.js';
import { useLinearAttention } from '../../src/markdown/linear-attention.js';
import { adversarialPacks, adversarialTemplates } from '../support/adversarial-corpus.js';
import { repositoryMarkdown } from '../support/files.js';

// micromark's own resolver, taken before the linear one replaces it (a fresh module graph per
// test file; nothing here has parsed yet).
const stock = attention.resolveAll as Resolver;
useLinearAttention();
const linear = attention.resolveAll as Resolver;
const parser = unified().use(remarkParse);

/** The tree of `text` with one resolver or the other. */
function parseWith(resolver: Resolver, text: string): ReturnType<typeof parser.parse> {
  attention.resolveAll = resolver;
  try {
    return parser.parse(text);
  } finally {
    attention.resolveAll = linear;
  }
}

/** The tree of `text` as JSON, positions included. */
const treeWith = (resolver: Resolver, text: string): string => JSON.stringify(parseWith(resolver, text));

// Seeded, so that every run checks the same inputs.
function randomTexts(count: number, pieces: readonly string[], maxLength: number, seed: number): string[] {
  let state = seed;
  const random = (): number => (state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  return Array.from({ length: count }, () => {
    let text = '';
    for (let length = 1 + Math.floor(random() * maxLength); length > 0; length--) text += pieces[Math.floor(random() * pieces.length)];
    return text;
  });
}

/** Inline Markdown that exercises emphasis: markers, flanking, links, code, escapes, blocks. */
const pieces = ['*', '*', '*', '_', '_', '_', '**', '__', '***', 'a', 'b', ' ', ' ', '.', '!', '[', ']', '](u)', '`', '\\', '<a>', '&amp;', '\n', '\n\n', '> ', '- ', '1. ', '# ', '  \n', '\t'];

/** A run of `*_` (each marker can open and close), `n` characters long. */
const starUnderscore = (n: number): string => '*_'.repeat(n / 2);

describe('linear emphasis resolution', () => {
  it('replaced micromark’s resolver', () => {
    expect(stock.name).toBe('resolveAllAttention');
    expect(linear).not.toBe(stock);
  });

  it('gives exactly the trees of the stock parser on every Markdown file of the package and the adversarial corpus', () => {
    const adversarial = [...Object.values(adversarialTemplates('/nowhere')).filter((content) => typeof content === 'string'), ...Object.values(adversarialPacks)]
      // What the parser is ever shown (deeper input is refused first), and short enough for the
      // stock resolver to finish in a test.
      .filter((text) => {
        try {
          checkMarkdownNesting(text);
          return true;
        } catch {
          return false;
        }
      })
      .map((text) => text.slice(0, 6_000));
    const corpus = [...repositoryMarkdown().map((file) => readFileSync(file, 'utf8')), ...adversarial];
    expect(corpus.length).toBeGreaterThan(80);
    for (const text of corpus) expect(treeWith(linear, text)).toBe(treeWith(stock, text));
  });

  it('gives exactly the trees of the stock parser on 6,000 generated texts', () => {
    const texts = [...randomTexts(4_000, pieces, 40, 7), ...randomTexts(2_000, ['*', '_', '*', '_', 'a', ' ', '.', '**'], 120, 11)];
    const differ = texts.filter((text) => treeWith(linear, text) !== treeWith(stock, text));
    expect(differ).toEqual([]);
  });

  /**
   * Reads of events (`event[0]`, `event[1]`) by everything that resolves and compiles them, per
   * event: the work the parser does, counted instead of timed.
   */
  function readsPerEvent(resolver: Resolver, text: string): number {
    let reads = 0;
    let events = 0;
    const counting: Resolver = (list, context) => {
      events += list.length;
      for (let index = 0; index < list.length; index++) {
        list[index] = new Proxy(list[index] as Event, {
          get(target, key, receiver) {
            if (key === '0' || key === '1') reads++;
            return Reflect.get(target, key, receiver) as unknown;
          },
        });
      }
      return resolver(list, context);
    };
    parseWith(counting, text);
    return reads / events;
  }

  it('reads each event a bounded number of times, however long the text', () => {
    // The shapes that were quadratic: closers that search all the way back, openers of the other
    // marker to skip, pairs nested inside pairs.
    const shapes = [starUnderscore, (n: number) => 'a* '.repeat(n / 3), (n: number) => '_a '.repeat(n / 6) + 'a* '.repeat(n / 6), (n: number) => '*a '.repeat(n / 6) + 'a* '.repeat(n / 6)];
    for (const shape of shapes) {
      const small = readsPerEvent(linear, shape(2_000));
      const large = readsPerEvent(linear, shape(40_000));
      expect(large).toBeLessThan(small * 1.2);
      expect(large).toBeLessThan(30);
    }
  });

  it('the stock resolver fails that bound (the count sees quadratic work)', () => {
    expect(readsPerEvent(stock, starUnderscore(4_000)) / readsPerEvent(stock, starUnderscore(1_000))).toBeGreaterThan(3);
  });
});

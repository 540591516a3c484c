import { readFileSync } from 'node:fs';
import { EditMap } from 'micromark-util-edit-map';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { parseMarkdown } from '../../src/markdown/index.js';
import { useLinearEditMap } from '../../src/markdown/linear-edits.js';
import { repositoryMarkdown } from '../support/files.js';

/** 3,000 sections, each a heading and a list: the shape that was quadratic. */
const manyLists = Array.from({ length: 3000 }, (_, i) => `\n## Don't ${i}\n\n- Run \`x${i}\` and more.\n\n> quoted ${i}\n`).join('');

describe('the parser fix for many lists and quotes', () => {
  it('gives exactly the trees of the stock parser', () => {
    // Parsed before the fix is installed (a fresh module graph per test file), then after.
    const stock = unified().use(remarkParse);
    const corpus = [...repositoryMarkdown().map((file) => readFileSync(file, 'utf8')), manyLists.slice(0, 20_000)];
    expect(corpus.length).toBeGreaterThan(40);
    const before = corpus.map((text) => JSON.stringify(stock.parse(text)));
    useLinearEditMap();
    const after = corpus.map((text) => JSON.stringify(stock.parse(text)));
    expect(after).toEqual(before);
  });

  // Before the fix every closed list or quote copied all the events parsed so far (3,000 sections
  // took about 30 s of CPU). Counted, not timed: an edit near the end of a long event list may
  // only touch the events after it.
  it('applies an edit near the end of 100,000 events without reading the ones before it', () => {
    useLinearEditMap();
    const events = Array.from({ length: 100_000 }, (_, i) => i) as unknown as Parameters<EditMap['consume']>[0];
    let reads = 0;
    const counted = new Proxy(events, {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver);
      },
    });
    const map = new EditMap();
    map.add(99_990, 2, [['enter', {}, {}]] as unknown as Parameters<EditMap['add']>[2]);
    map.consume(counted);
    expect(events).toHaveLength(99_999);
    expect(events[99_989]).toBe(99_989);
    expect(events[99_991]).toBe(99_992);
    expect(reads).toBeLessThan(100);
  });

  it('parses 3,000 heading + list + quote sections', { timeout: 120_000 }, () => {
    const tree = parseMarkdown(manyLists);
    expect(tree.children.filter((node) => node.type === 'list')).toHaveLength(3000);
    expect(tree.children.filter((node) => node.type === 'blockquote')).toHaveLength(3000);
  });
});

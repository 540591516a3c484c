import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LineCounter, parseDocument } from 'yaml';
import { readPlainYaml } from '../../src/markdown/plain-yaml.js';
import { adversarialTemplates } from '../support/adversarial-corpus.js';
import { repositoryMarkdown } from '../support/files.js';

/** What the `yaml` package reads, as frontmatter.ts asks it: the data, or that it has errors. */
function readWithYaml(text: string): { ok: true; data: unknown } | { ok: false } {
  const doc = parseDocument(text, { lineCounter: new LineCounter(), prettyErrors: false });
  if (doc.errors.length > 0) return { ok: false };
  try {
    return { ok: true, data: doc.toJS({ maxAliasCount: 50 }) };
  } catch {
    return { ok: false };
  }
}

/** Whatever the fast path returns is what `yaml` reads, without an error. */
function expectSameAsYaml(text: string): boolean {
  const fast = readPlainYaml(text);
  if (fast === undefined) return false;
  expect(readWithYaml(text), text).toEqual({ ok: true, data: fast });
  return true;
}

const frontmatterOf = (text: string): string | undefined => /^---\n([\s\S]*?)\n---/.exec(text)?.[1];
const repository = repositoryMarkdown().flatMap((path) => {
  const yaml = frontmatterOf(readFileSync(path, 'utf8'));
  return yaml === undefined ? [] : [{ path, yaml }];
});
const corpus = Object.values(adversarialTemplates('/nonexistent/marker')).flatMap((text) => (typeof text === 'string' ? [frontmatterOf(text)].filter((t) => t !== undefined) : []));

describe('plain YAML frontmatter, read fast', () => {
  it('reads every frontmatter of the repository as yaml does, and the shipped templates and skill sources all take the fast path', () => {
    let fast = 0;
    for (const { path, yaml } of repository) {
      if (expectSameAsYaml(yaml)) fast++;
      else if (/\/(templates|skill)\//.test(path) && !path.includes('/test/')) throw new Error(`${path}: the shipped frontmatter takes the slow path`);
    }
    expect(repository.length).toBeGreaterThan(100);
    expect(fast).toBeGreaterThan(repository.length * 0.9);
  });

  it('reads the adversarial corpus as yaml does, or leaves it to yaml (aliases, tags, tabs, merges: all left)', () => {
    for (const yaml of corpus) expectSameAsYaml(yaml);
    for (const name of ['fm-alias', 'fm-self-alias', 'fm-laughs', 'fm-tags', 'fm-merge', 'fm-tabs', 'fm-duplicate-keys']) {
      const text = adversarialTemplates('/nonexistent/marker')[`${name}.md`] as string;
      expect(readPlainYaml(frontmatterOf(text) ?? text), name).toBeUndefined();
    }
  });

  it('resolves scalars as YAML 1.2 core does in yaml: numbers, booleans and nulls by their exact spellings, the rest strings', () => {
    const scalars = ['0o17', '0x1F', '017', '+12', '-0', '1e3', '-.5E-2', '1.50', '.inf', '-.Inf', '.NaN', '~', 'null', 'NULL', 'True', 'FALSE', 'yes', 'no', 'on', '1_000', '0b101', '0O17', '0X1f', '1.2.3', '12:30', '2024-01-01', 'nan', '+.inf', 'Null', 'tRue', "'1'", '"true"', ''];
    for (const scalar of scalars) {
      const text = `kind: lens\nvalue: ${scalar}\nlist: [${scalar || 'x'}, b]\n`;
      expect(expectSameAsYaml(text), text).toBe(true);
    }
    expect(readPlainYaml('a: 0o17\nb: 0x1F\nc: 1_000\nd: yes\ne: .nan\n')).toEqual({ a: 15, b: 31, c: '1_000', d: 'yes', e: NaN });
  });

  it('leaves to yaml what it might read differently, and everything with an error', () => {
    const left = [
      'a: &x 1\nb: *x\n', // anchor and alias
      'a: !!str 1\n', // tag
      'a:\n\t- 1\n', // tab
      'a: 1\r\nb: 2\r\n', // CR
      'a: "one\n  two"\n', // quoted scalar over lines
      'a: [1,\n  2]\n', // flow collection over lines
      '__proto__: {a: 1}\n',
      '1: one\n', // a key that is a number
      'true: yes\n',
      '? a\n: b\n', // complex key
      '%YAML 1.2\n---\na: 1\n', // directive
      'a: [x]#comment\n',
      'a: 1\na: 2\n', // duplicate key
      'a: b: c\n', // an error
      '- a\n- b\n', // not a mapping
      'just text\n',
      '',
    ];
    for (const text of left) expect(readPlainYaml(text), JSON.stringify(text)).toBeUndefined();
  });

  it('reads thousands of edited frontmatters exactly as yaml does whenever it reads them at all', () => {
    // Seeded, so that every run checks the same texts: the repository's frontmatter with a few
    // random edits from YAML's own alphabet (indicators, indents, quotes, scalars, comments).
    let state = 7;
    const random = (): number => (state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32;
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
    const alphabet = [':', ': ', '-', '- ', ' ', '  ', '\n', '\n  ', '"', "'", '[', ']', '{', '}', ',', ', ', '#', ' #', '|', '>', '|-', '>+', '0', '1.5', '0x1F', '0o17', '1e3', '.inf', 'true', 'null', '~', 'a', 'key', 'yes', '\\', '\\n', '%', '?', '<<', '.', '+1', '-0', '1_000', '"\\u00e9"', 'é', '\n- ', '\nk: ', ' : '];
    const seeds = [...repository.map((entry) => entry.yaml), ...corpus.filter((text) => text.length < 4096)];
    let fast = 0;
    for (let i = 0; i < 3000; i++) {
      let text = pick(seeds);
      for (let edits = 1 + Math.floor(random() * 6); edits > 0; edits--) {
        const at = Math.floor(random() * (text.length + 1));
        const operation = random();
        if (operation < 0.5) text = text.slice(0, at) + pick(alphabet) + text.slice(at);
        else if (operation < 0.8) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 3));
        else {
          const lines = text.split('\n');
          const [a, b] = [Math.floor(random() * lines.length), Math.floor(random() * lines.length)];
          [lines[a], lines[b]] = [lines[b] as string, lines[a] as string];
          text = lines.join('\n');
        }
      }
      if (expectSameAsYaml(text)) fast++;
    }
    // Enough of them are plain for the comparison to mean something.
    expect(fast).toBeGreaterThan(500);
  });
});

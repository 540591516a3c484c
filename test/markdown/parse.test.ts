import type { Nodes } from 'mdast';
import { describe, expect, it } from 'vitest';
import { nestingFailure, parseDocument, parseMarkdown } from '../../src/markdown/index.js';

declare global {
  // Set by the frontmatter below if anything ever evaluates it.
  var orchFrontmatterRan: boolean | undefined;
}

const code = "globalThis.orchFrontmatterRan = true; module.exports = { kind: 'role', name: 'x' }";

describe('frontmatter is YAML data, never code', () => {
  it.each(['---js', '---javascript', '---coffee', '--- coffee', '---toml', '---json', '---yaml', '---js '])('`%s` is a problem, not an engine', (fence) => {
    globalThis.orchFrontmatterRan = undefined;
    const doc = parseDocument(`${fence}\n${code}\n---\n\n# Body\n`);
    expect(globalThis.orchFrontmatterRan).toBeUndefined();
    expect(doc.frontmatter?.problem).toMatchObject({ code: 'language', place: { line: 1, column: 4 } });
    expect(doc.frontmatter?.problem?.message).toContain(`fence \`${fence.trimEnd()}\` names a language, expected a line \`---\` alone`);
    expect(doc.frontmatter?.data).toEqual({});
    // The body is still parsed, at its real place.
    expect(doc.tree.children.map((n) => `${n.type}@${n.position?.start.line}`)).toEqual(['heading@5']);
  });

  it('a fence never closed after a language is still a language problem', () => {
    expect(parseDocument(`---js\n${code}\n`).frontmatter?.problem?.code).toBe('language');
  });

  it('`----` and `--- - -` are thematic breaks, not fences', () => {
    expect(parseDocument('----\ntext\n').frontmatter).toBeUndefined();
    expect(parseDocument('--- - -\ntext\n').frontmatter).toBeUndefined();
  });

  it('a closing line must be `---` alone', () => {
    const doc = parseDocument('---\nkind: role\n---js\nname: x\n---\nbody\n');
    expect(doc.frontmatter?.endLine).toBe(3);
    expect(doc.frontmatter?.data).toEqual({});
    expect(doc.frontmatter?.problem).toMatchObject({ code: 'fence', place: { line: 3, column: 4 } });
    expect(doc.frontmatter?.problem?.message).toBe('the closing fence `---js` has text after `---`, expected a line `---` alone');
    // Trailing spaces after a fence are fine.
    expect(parseDocument('---   \nkind: role\n---  \nbody\n').frontmatter).toMatchObject({ data: { kind: 'role' }, closed: true, endLine: 3 });
  });

  it('fences with CR LF, an empty block, a file that is only a fence', () => {
    const crlf = parseDocument('---\r\nkind: role\r\nname: x\r\n---\r\n# Body\r\n');
    expect(crlf.frontmatter).toMatchObject({ raw: 'kind: role\r\nname: x', data: { kind: 'role', name: 'x' }, startLine: 2, endLine: 4, closed: true });
    expect(crlf.tree.children.map((n) => `${n.type}@${n.position?.start.line}:${n.position?.start.offset}`)).toEqual([`heading@5:${'---\r\nkind: role\r\nname: x\r\n---\r\n'.length}`]);
    expect(parseDocument('---\n---\ntext\n').frontmatter).toMatchObject({ raw: '', data: {}, closed: true, endLine: 2 });
    expect(parseDocument('---').frontmatter).toMatchObject({ closed: false, problem: { code: 'unclosed' } });
    expect(parseDocument('---\nkind: role\n').frontmatter).toMatchObject({ closed: false, endLine: 2, problem: { code: 'unclosed' } });
  });

  it('an alias without an anchor is a problem naming the alias', () => {
    const problem = parseDocument('---\nkind: role\nname: *who\n---\n').frontmatter?.problem;
    expect(problem).toMatchObject({ code: 'alias', place: { line: 3, column: 7 } });
    expect(problem?.message).toBe('frontmatter uses the alias `*who` without an anchor `&who` before it, expected the anchor first');
  });

  it('a billion laughs is refused after a bounded number of expansions', () => {
    let yaml = 'a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
    for (let i = 1; i < 10; i++) {
      const name = String.fromCharCode(97 + i);
      const previous = String.fromCharCode(96 + i);
      yaml += `${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]\n`;
    }
    const problem = parseDocument(`---\n${yaml}---\n`).frontmatter?.problem;
    expect(problem?.code).toBe('alias');
    expect(problem?.message).toMatch(/expands YAML aliases more than \d+ times/);
  });

  it('tabs, a list instead of a mapping, and deep nesting are problems with places', () => {
    expect(parseDocument('---\nkind: role\n\tname: x\n---\n').frontmatter?.problem).toMatchObject({ code: 'yaml', place: { line: 3 } });
    expect(parseDocument('---\n- kind\n---\n').frontmatter?.problem?.code).toBe('mapping');
    const deep = parseDocument(`---\nkind: role\nname: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n---\n`).frontmatter?.problem;
    expect(deep).toMatchObject({ code: 'nesting', place: { line: 3 } });
  });
});

/** `type@line:column+offset` of every node, and the source text of the paragraphs. */
function shape(text: string, tree: Nodes): string[] {
  const out: string[] = [];
  const walk = (node: Nodes): void => {
    const start = node.position?.start;
    const end = node.position?.end;
    if (node.type === 'paragraph' && start?.offset !== undefined && end?.offset !== undefined) {
      out.push(`${start.line}:${start.column} ${JSON.stringify(text.slice(start.offset, end.offset))}`);
    }
    if ('children' in node) for (const child of node.children) walk(child as Nodes);
  };
  walk(tree);
  return out;
}

describe('offsets are exact with a byte-order mark and CR LF', () => {
  const lf = '---\nkind: lens\n---\n\n# Goal\n\nShip the fix by Friday\n\n- one\n- two\n';
  const variants = { lf, crlf: lf.replace(/\n/g, '\r\n'), bom: `\ufeff${lf}`, 'bom+crlf': `\ufeff${lf.replace(/\n/g, '\r\n')}` };

  it.each(Object.entries(variants))('parseDocument, %s', (_, input) => {
    const doc = parseDocument(input);
    expect(doc.frontmatter?.data).toEqual({ kind: 'lens' });
    expect(shape(doc.text, doc.tree)).toEqual(['7:1 "Ship the fix by Friday"', '9:3 "one"', '10:3 "two"']);
  });

  it.each(Object.entries(variants))('parseMarkdown, %s: offsets index the text as given', (_, input) => {
    const body = input.replace(/^(\ufeff?)---[^]*?---\r?\n/, '$1');
    expect(shape(body, parseMarkdown(body))).toEqual(['4:1 "Ship the fix by Friday"', '6:3 "one"', '7:3 "two"']);
  });
});

describe('nesting is refused before the parser sees it', () => {
  it.each([
    ['3,000 quote markers', `${'> '.repeat(3000)}deep\n`],
    ['a list nested 400 deep', Array.from({ length: 400 }, (_, i) => `${'  '.repeat(i)}- level ${i}`).join('\n')],
  ])('%s: an input-too-deep error naming the line, no stack overflow', (_, text) => {
    for (const parse of [parseDocument, parseMarkdown]) {
      let error: unknown;
      try {
        parse(`intro\n\n${text}`);
      } catch (caught) {
        error = caught;
      }
      expect(nestingFailure(error)?.place.line).toBeGreaterThanOrEqual(3);
      expect((error as Error).message).toMatch(/^line \d+: nesting too deep/);
    }
  });
});

describe('emphasis nesting is refused after parsing', () => {
  const nested = (levels: number): string => `intro\n\n- ${'*a '.repeat(levels)}${'a* '.repeat(levels)}\n`;

  it('32 levels of emphasis inside each other parse', () => {
    expect(() => parseMarkdown(nested(32))).not.toThrow();
  });

  it.each([33, 2_000])('%i levels: an input-too-deep error naming the line, no stack overflow', (levels) => {
    for (const parse of [parseDocument, parseMarkdown]) {
      let error: unknown;
      try {
        parse(nested(levels));
      } catch (caught) {
        error = caught;
      }
      expect(nestingFailure(error)?.place).toMatchObject({ line: 3 });
      expect((error as Error).message).toMatch(/^line 3: emphasis nests too deep \(over 32 levels/);
    }
  });
});

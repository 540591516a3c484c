// The adversarial corpus: hostile templates and context packs, shared by the robustness test
// (fed to the CLI) and the parser tests (same trees with and without the linear resolvers).

const lens = (name: string, extra = '', body = '- Look for it (a missing check, a wrong default).\n'): string => `---\nkind: lens\nname: ${name}\ntitle: T\ndescription: D.${extra}\n---\n\n${body}`;
let laughs = 'a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
for (let i = 1; i < 10; i++) laughs += `a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]\n`;
const sections = (bytes: number): string => {
  let out = '';
  for (let i = 0; out.length < bytes; i++) out += `\n### Part ${i}\n\n- Look for \`x${i}\`.\n`;
  return out;
};

/**
 * Template files: malformed frontmatter of every kind, huge and deep bodies, escapes. Code in
 * them writes `marker` when run (it never may be).
 */
export function adversarialTemplates(marker: string): Record<string, string | Uint8Array> {
  const run = `process.getBuiltinModule('fs').writeFileSync(${JSON.stringify(marker)}, 'ran')`;
  return {
    'fm-js.md': `---js\n${run}; ({ kind: 'lens', name: 'fm-js' })\n---\n`,
    'fm-javascript.md': `---javascript\n${run}\n---\n`,
    'fm-coffee.md': `--- coffee\n${run}\n---\n`,
    'fm-toml.md': '---toml\nkind = "lens"\nname = "fm-toml"\n---\n',
    'fm-json.md': '---json\n{"kind": "lens", "name": "fm-json"}\n---\n',
    'fm-js-closed-late.md': `---js\n${run}\n`,
    'fm-unclosed.md': '---\nkind: lens\nname: fm-unclosed\n\n- body\n',
    'fm-tabs.md': '---\nkind: lens\n\tname: fm-tabs\n---\n',
    'fm-alias.md': lens('fm-alias').replace('title: T', 'title: *nowhere'),
    'fm-self-alias.md': lens('fm-self-alias', '\nx: &x [*x]'),
    'fm-laughs.md': lens('fm-laughs', `\n${laughs.trimEnd()}\nboom: *a9`),
    'fm-deep-flow.md': lens('fm-deep-flow', `\nx: ${'['.repeat(100_000)}${']'.repeat(100_000)}`),
    'fm-deep-block.md': lens('fm-deep-block', `\nx:\n  ${'- '.repeat(10_000)}y`),
    'fm-huge-scalar.md': lens('fm-huge-scalar', ` ${'long '.repeat(24_000)}`),
    'fm-list.md': '---\n- kind\n- lens\n---\n',
    'fm-scalar.md': '---\njust text\n---\n',
    'fm-empty.md': '---\n---\n\n- body\n',
    'fm-tags.md': lens('fm-tags', `\nf: !!js/function "function () { ${run} }"\nb: !!binary aGVsbG8=\np: !!python/object:os.system ls`),
    'fm-merge.md': lens('fm-merge', '\nbase: &base { a: 1 }\nmore:\n  <<: *base'),
    'fm-duplicate-keys.md': lens('fm-duplicate-keys', '\nname: again'),
    'fm-bom-crlf.md': `\ufeff${lens('fm-bom-crlf').replace(/\n/g, '\r\n')}`,
    'fm-escapes.md': '---\nkind: lens\nname: fm-escapes\ntitle: T\ndescription: "D \\e]0;owned\\a\\e[2J\\u202e"\n---\n\n- Look.\n',
    'body-deep-quotes.md': lens('body-deep-quotes', '', `${'> '.repeat(3000)}deep\n`),
    'body-deep-lists.md': lens('body-deep-lists', '', Array.from({ length: 300 }, (_, i) => `${'  '.repeat(i)}- level ${i}`).join('\n')),
    'body-sections.md': lens('body-sections', '', sections(120_000)),
    'body-long-line.md': lens('body-long-line', '', 'a'.repeat(120_000)),
    'body-brackets.md': lens('body-brackets', '', '['.repeat(30_000)),
    'body-emphasis.md': lens('body-emphasis', '', '*a _b '.repeat(10_000)),
    // A run of `*_`: every marker can open and close (micromark paired them in quadratic time).
    'body-star-underscore.md': lens('body-star-underscore', '', `- ${'*_'.repeat(12_500)}\n`),
    // Emphasis two thousand levels deep: refused (writing it back took half a minute, then overflowed the stack).
    'body-nested-emphasis.md': lens('body-nested-emphasis', '', `- ${'*a '.repeat(2_000)}${'a* '.repeat(2_000)}\n`),
    'body-backticks.md': lens('body-backticks', '', '`'.repeat(30_000)),
    'body-unclosed-comment.md': lens('body-unclosed-comment', '', `<!-- ${'hidden '.repeat(8_000)}`),
    'body-escapes.md': lens('body-escapes', '', '- Look \u001b]0;owned\u0007 \u001b[2J \u202e here \u{E0041}\u{E0042} \uFE01\uFE02.\n'),
    'too-big.md': lens('too-big', '', 'x'.repeat(5_000_000)),
    'binary.md': new Uint8Array([0x2d, 0x2d, 0x2d, 0x0a, 0x00, 0x01, 0x02]),
    'not-utf8.md': new Uint8Array([...new TextEncoder().encode('---\nkind: lens\nname: x'), 0xff, 0xfe, 0x0a]),
    'name\u001b[31mred.md': '# A file name with an escape sequence, and no frontmatter\n',
  };
}

/** Context packs with the same kinds of trouble. */
export const adversarialPacks: Record<string, string> = {
  'deep.json': `{"goal": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
  'deep.yaml': `goal: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`,
  'deep-block.yaml': `goal:\n${'- '.repeat(50_000)}x\n`,
  'laughs.yaml': `${laughs}goal: *a9\n`,
  'alias.yaml': 'goal: *nowhere\n',
  'huge.md': `## Goal\n\n${'x'.repeat(5_000_000)}\n`,
  'sections.md': `## Goal\n${sections(120_000)}`,
  'prose.md': `## Goal\n\n${'word '.repeat(200_000)}\n`,
  'quotes.md': `## Goal\n\n${'> '.repeat(50_000)}x\n`,
  'escapes.md': '## Goal\n\nShip it \u001b[2J now.\n',
  'bom-crlf.md': '\ufeff## Goal\r\n\r\nShip the fix by Friday\r\n',
};

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readContextPackFile } from '../../src/prompt/context-pack-file.js';
import { isUserError } from '../../src/errors/index.js';
import { builtinTemplates } from '../../src/templates/builtin-set.js';

const scratch = mkdtempSync(join(tmpdir(), 'orch-pack-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const pack = builtinTemplates().contextPack;

function write(name: string, text: string): string {
  writeFileSync(join(scratch, name), text);
  return name;
}

function read(name: string): Record<string, string> {
  return readContextPackFile(name, pack, { cwd: scratch });
}

function failure(name: string): string {
  try {
    read(name);
  } catch (error) {
    expect(isUserError(error, 'context-pack-file')).toBe(true);
    return (error as Error).message;
  }
  throw new Error(`expected ${name} to fail`);
}

const expected = { goal: 'Ship the fix by Friday', constraints: '- No new dependencies.\n- Keep the flags.', success: '`npm test` passes' };
const files = {
  md: '## Goal\n\nShip the fix by Friday\n\n## Constraints\n\n- No new dependencies.\n- Keep the flags.\n\n## Success check\n\n`npm test` passes\n',
  yaml: 'goal: Ship the fix by Friday\nconstraints:\n  - No new dependencies.\n  - Keep the flags.\nsuccess: "`npm test` passes"\n',
  json: '{\n  "goal": "Ship the fix by Friday",\n  "constraints": ["No new dependencies.", "Keep the flags."],\n  "success": "`npm test` passes"\n}\n',
};

describe('a byte-order mark and CR LF change nothing', () => {
  for (const [ext, text] of Object.entries(files)) {
    it.each([
      ['LF', text],
      ['CR LF', text.replace(/\n/g, '\r\n')],
      ['BOM', `\ufeff${text}`],
      ['BOM + CR LF', `\ufeff${text.replace(/\n/g, '\r\n')}`],
    ])(`${ext}, %s: every field whole`, (variant, content) => {
      const values = read(write(`pack-${variant.replace(/\W/g, '')}.${ext}`, content));
      // Line endings inside a value are the renderer's business (it makes them LF).
      expect(Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.replace(/\r\n/g, '\n')]))).toEqual(expected);
    });
  }
});

describe('every read is bounded, every failure one line', () => {
  it('not a regular file: a folder, /dev/zero behind a link, a FIFO (no hang)', () => {
    mkdirSync(join(scratch, 'folder.md'));
    symlinkSync('/dev/zero', join(scratch, 'zero.json'));
    execFileSync('mkfifo', [join(scratch, 'pipe.yaml')]);
    expect(failure('folder.md')).toBe('cannot read context pack `folder.md`: it is a folder, expected a regular file');
    expect(failure('zero.json')).toBe('cannot read context pack `zero.json`: it is a device, expected a regular file');
    expect(failure('pipe.yaml')).toBe('cannot read context pack `pipe.yaml`: it is a FIFO (named pipe), expected a regular file');
    expect(failure('missing.md')).toBe('cannot read context pack `missing.md`: no such file');
  });

  it('too large', () => {
    expect(failure(write('big.md', `# Goal\n\n${'x'.repeat(1_100_000)}\n`))).toMatch(/^cannot read context pack `big\.md`: it is .*, over the 1\.0 MB a context pack may have$/);
    // Prose is cheap to parse, many small blocks are not: Markdown packs are bounded in lines too.
    expect(read(write('prose.md', `# Goal\n\n${'word '.repeat(150_000)}\n`))['goal']).toHaveLength(749_999);
    expect(failure(write('lines.md', `# Goal\n\n${'- item\n'.repeat(12_000)}`))).toBe('context pack `lines.md` has 12,003 lines, over the 10,000 a Markdown pack may have: point to the material instead of pasting it');
  });

  it('100,000-deep JSON, deep YAML and deep Markdown: one line each, no stack overflow', () => {
    expect(failure(write('deep.json', `{"goal": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`))).toMatch(/^context pack `deep\.json` does not parse: line 1: nesting too deep/);
    expect(failure(write('deep.yaml', `goal: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`))).toMatch(/^context pack `deep\.yaml` does not parse: line 1: nesting too deep/);
    expect(failure(write('block.yaml', `goal:\n${'- '.repeat(50_000)}x\n`))).toMatch(/^context pack `block\.yaml` does not parse: line 2: nesting too deep/);
    expect(failure(write('deep.md', `# Goal\n\n${'> '.repeat(50_000)}x\n`))).toMatch(/^context pack `deep\.md` does not parse: line 3: nesting too deep/);
  });

  it('a billion laughs and an alias without anchor', () => {
    let yaml = 'a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
    for (let i = 1; i < 10; i++) yaml += `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]\n`;
    expect(failure(write('laughs.yaml', `${yaml}goal: *j\n`))).toMatch(/^context pack `laughs\.yaml` does not parse: it expands YAML aliases more than \d+ times, expected plain values$/);
    expect(failure(write('alias.yaml', 'goal: *nowhere\n'))).toMatch(/^context pack `alias\.yaml` does not parse: an alias has no anchor before it .*expected the anchor first$/);
  });
});

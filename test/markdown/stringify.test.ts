import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument, stringifyDocument, stringifyMarkdown } from '../../src/markdown/index.js';

const root = join(import.meta.dirname, '../..');

/** The package's own Markdown: templates, skill sources, docs, fixtures. */
function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(path);
    return entry.name.endsWith('.md') ? [path] : [];
  });
}

describe('one Markdown writer', () => {
  it('remark-stringify (through unified) and the prompt path write every Markdown file of the package alike', () => {
    const files = markdownFiles(root);
    expect(files.length).toBeGreaterThan(40);
    for (const file of files) {
      const { tree } = parseDocument(readFileSync(file, 'utf8'));
      expect(stringifyMarkdown(tree), file).toBe(stringifyDocument(tree));
    }
  });

  it('writes the house style: `-` bullets, `_` emphasis, `**` strong, fenced code', () => {
    const { tree } = parseDocument('* a *b* __c__\n\nthen\n\n    code\n');
    expect(stringifyDocument(tree)).toBe('- a _b_ **c**\n\nthen\n\n```\ncode\n```\n');
  });
});

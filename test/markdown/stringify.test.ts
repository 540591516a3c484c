import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument, stringifyDocument, stringifyMarkdown } from '../../src/markdown/index.js';
import { repositoryMarkdown } from '../support/files.js';

describe('one Markdown writer', () => {
  it('remark-stringify (through unified) and the prompt path write every Markdown file of the package alike', () => {
    const files = repositoryMarkdown();
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

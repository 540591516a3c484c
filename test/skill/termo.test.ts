import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Root } from 'mdast';
import { describe, expect, it } from 'vitest';
import { parseDocument, parseMarkdown } from '../../src/markdown/index.js';
import { maxDescriptionLength } from '../../src/lint/skill/rules/skill-description.js';

// Termo lists each installed skill in its agent's prompt as one Markdown list item:
// `- **name** (`slug`) — description`. The description must read well there.

const root = join(import.meta.dirname, '..', '..');
const data = parseDocument(readFileSync(join(root, 'SKILL.md'), 'utf8')).frontmatter?.data as Record<string, unknown>;
const name = data['name'] as string;
const description = data['description'] as string;
const line = `- **${name}** (\`${name}\`) — ${description}`;

describe('the line Termo puts into its prompt for the installed skill', () => {
  it('is the one docs/clawhub.md shows', () => {
    expect(readFileSync(join(root, 'docs', 'clawhub.md'), 'utf8')).toContain(`\n${line}\n`);
  });

  it('is one line, and the description adds no Markdown to it: one list item, the description one plain text', () => {
    expect(line).not.toContain('\n');
    const tree: Root = parseMarkdown(line);
    expect(tree.children).toHaveLength(1);
    const list = tree.children[0];
    expect(list?.type).toBe('list');
    const item = list?.type === 'list' ? list.children : [];
    expect(item).toHaveLength(1);
    const paragraph = item[0]?.children[0];
    expect(paragraph?.type).toBe('paragraph');
    const parts = paragraph?.type === 'paragraph' ? paragraph.children : [];
    expect(parts.map((part) => part.type)).toEqual(['strong', 'text', 'inlineCode', 'text']);
    expect(parts[3]).toMatchObject({ type: 'text', value: `) — ${description}` });
  });

  it('is short enough to scan: what it does first, in one short sentence, and at most 1,024 characters in all', () => {
    const first = /^[^.]*\./.exec(description)?.[0] ?? description;
    expect(first.length).toBeGreaterThan(10);
    expect(first.length).toBeLessThanOrEqual(100);
    expect(description.length).toBeLessThanOrEqual(maxDescriptionLength);
  });
});

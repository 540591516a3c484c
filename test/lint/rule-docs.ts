import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';

const docs = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'lint-rules.md'), 'utf8');

/** A rule's section of docs/lint-rules.md holds an Ok and a Not ok example, and the rule links to it. */
export function expectDocumented(id: string, rule: { url: string }): void {
  const section = docs.split(/^## (?=`)/m).find((part) => part.startsWith(`\`${id}\``));
  expect(section, `docs/lint-rules.md has a "## \`${id}\`" section`).toBeDefined();
  expect(section).toMatch(/^\*\*Ok\*\*/m);
  expect(section).toMatch(/^\*\*Not ok\*\*/m);
  expect(rule.url).toBe(`docs/lint-rules.md#${id}`);
}

/** The inline comment that switches rules off for one file. */
export const disableDirective = 'orch-prompt-lint-disable';

const directivePattern = /<!--\s*orch-prompt-lint-disable\b([^]*?)-->/g;

/**
 * Rule ids switched off by `<!-- orch-prompt-lint-disable rule-id other-id -->` comments
 * anywhere in a file (ids separated by spaces or commas). A comment without ids switches off
 * every rule, returned as `*`.
 */
export function inlineDisables(text: string): Set<string> {
  const ids = new Set<string>();
  for (const match of text.matchAll(directivePattern)) {
    const listed = (match[1] ?? '').split(/[\s,]+/).filter((id) => id !== '');
    if (listed.length === 0) ids.add('*');
    for (const id of listed) ids.add(id);
  }
  return ids;
}

/** Whether an HTML comment is a lint directive (not content). */
export function isDirectiveComment(html: string): boolean {
  return /^<!--\s*orch-prompt-lint-disable\b/.test(html.trim());
}

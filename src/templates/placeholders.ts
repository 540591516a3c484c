import type { Nodes } from 'mdast';

/** A well-formed placeholder: `{{name}}`, spaces allowed inside the braces. */
export const placeholderPattern = /\{\{\s*([a-z0-9]+(?:-[a-z0-9]+)*)\s*\}\}/g;

/** Names of the placeholders in a string, in order of appearance. */
export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(placeholderPattern)].map((match) => match[1] as string);
}

/** Names of the placeholders in the text, inline code and code of a tree. */
export function placeholdersInTree(node: Nodes): string[] {
  if (node.type === 'text' || node.type === 'inlineCode' || node.type === 'code') return placeholdersIn(node.value);
  if ('children' in node) return (node.children as Nodes[]).flatMap((child) => placeholdersInTree(child));
  return [];
}

/** Replace placeholders in a string with their values (values are inserted verbatim, never re-scanned). */
export function fillString(text: string, values: ReadonlyMap<string, string>): string {
  return text.replace(placeholderPattern, (whole, name: string) => values.get(name) ?? whole);
}

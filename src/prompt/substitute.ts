import type { Code, Paragraph, PhrasingContent, RootContent, Text } from 'mdast';
import { stringifyMarkdown } from '../markdown/stringify.js';
import { fillString, placeholderPattern, placeholdersInTree } from '../templates/placeholders.js';

/**
 * Drop the blocks that use a placeholder without a value: a list item, or a paragraph or other
 * block outside a list, disappears whole (a list left empty goes too). This is how an optional
 * parameter, `{{lenses}}` or `{{task}}` reads when it is not given: the sentence that needs it is
 * simply not there, instead of a stand-in such as "(not given)" that the worker must interpret.
 */
export function omitBlocksUsing(nodes: readonly RootContent[], unset: ReadonlySet<string>): RootContent[] {
  if (unset.size === 0) return [...nodes];
  return selectBlocks(nodes, (node) => !usesAny(node, unset));
}

/**
 * The opposite of {@link omitBlocksUsing}: only the blocks (list items, or blocks outside a
 * list) that use one of `names`. A role's blocks that use a placeholder belong to one task;
 * the others hold for every task of the role.
 */
export function keepBlocksUsing(nodes: readonly RootContent[], names: ReadonlySet<string>): RootContent[] {
  return selectBlocks(nodes, (node) => usesAny(node, names));
}

function usesAny(node: RootContent, names: ReadonlySet<string>): boolean {
  return placeholdersInTree(node).some((name) => names.has(name));
}

function selectBlocks(nodes: readonly RootContent[], keep: (node: RootContent) => boolean): RootContent[] {
  const out: RootContent[] = [];
  for (const node of nodes) {
    if (node.type === 'list') {
      const items = node.children.filter((item) => keep(item));
      if (items.length > 0) out.push({ ...node, children: items });
    } else if (keep(node)) out.push(node);
  }
  return out;
}

/**
 * The task line cannot be left out like a list item: there, the clause that uses a placeholder
 * without a value goes instead, from the comma or semicolon before it (or the start of its
 * sentence) to the placeholder. "Edit {{document}} for concision, for this audience:
 * {{audience}}." reads "Edit README.md for concision." without an audience.
 */
export function omitClausesUsing(nodes: readonly RootContent[], unset: ReadonlySet<string>): RootContent[] {
  if (unset.size === 0) return [...nodes];
  return nodes.map((node) => (node.type === 'paragraph' ? { ...node, children: node.children.map((child) => (child.type === 'text' ? { ...child, value: omitClauses(child.value, unset) } : child)) } : node));
}

function omitClauses(text: string, unset: ReadonlySet<string>): string {
  let out = text;
  for (;;) {
    const match = [...out.matchAll(placeholderPattern)].find((m) => unset.has(m[1] as string));
    if (!match) return out;
    const before = out.slice(0, match.index);
    const clause = Math.max(before.lastIndexOf(', '), before.lastIndexOf('; '));
    const sentence = Math.max(before.lastIndexOf('. '), before.lastIndexOf('? '), before.lastIndexOf('! '));
    const start = clause > sentence ? clause : sentence >= 0 ? sentence + 2 : 0;
    out = `${out.slice(0, start)}${out.slice(match.index + match[0].length)}`.replace(/^\s*[.;,]\s*/, '');
  }
}

/**
 * Fill `{{placeholders}}` on the syntax tree. A value becomes a text node (the serializer
 * escapes whatever Markdown it contains) or, when it spans lines, a fenced code block: either
 * way it is inert literal text. Values are never parsed or scanned for placeholders again.
 */
export function substituteBlocks(nodes: readonly RootContent[], values: ReadonlyMap<string, string>): RootContent[] {
  const out: RootContent[] = [];
  for (const node of nodes) {
    if (node.type === 'paragraph') out.push(...substituteParagraph(node, values));
    else if (node.type === 'heading') out.push({ ...node, children: substituteInline(node.children, values, false) as typeof node.children });
    else if (node.type === 'code') out.push({ ...node, value: fillString(node.value, values) });
    else if ('children' in node) out.push({ ...node, children: substituteBlocks(node.children as RootContent[], values) } as RootContent);
    else out.push(node);
  }
  return out;
}

/** Inline content plus, when `hoist` is on, code blocks for multi-line values. */
type Piece = PhrasingContent | Code;

function substituteParagraph(node: Paragraph, values: ReadonlyMap<string, string>): RootContent[] {
  const pieces = substituteInline(node.children, values, true);
  if (!pieces.some((piece) => piece.type === 'code')) return [{ ...node, children: pieces as PhrasingContent[] }];
  // A multi-line value: end the paragraph before it, fence the value, start a new one after it.
  const out: RootContent[] = [];
  let inline: PhrasingContent[] = [];
  const flush = (): void => {
    const trimmed = trimEdges(inline);
    if (trimmed.length > 0) out.push({ type: 'paragraph', children: trimmed });
    inline = [];
  };
  for (const piece of pieces) {
    if (piece.type === 'code') {
      flush();
      out.push(piece);
    } else {
      inline.push(piece);
    }
  }
  flush();
  return out;
}

function substituteInline(nodes: readonly PhrasingContent[], values: ReadonlyMap<string, string>, hoist: boolean): Piece[] {
  const out: Piece[] = [];
  for (const node of nodes) {
    if (node.type === 'text') out.push(...splitText(node, values, hoist));
    else if (node.type === 'inlineCode') out.push({ ...node, value: fillString(node.value, values).replace(/\s*\n\s*/g, ' ') });
    else if ('children' in node) {
      // Emphasis, links...: a block cannot live inside them, so multi-line values stay inline.
      out.push({ ...node, children: substituteInline(node.children, values, false) } as PhrasingContent);
    } else out.push(node);
  }
  return out;
}

function splitText(node: Text, values: ReadonlyMap<string, string>, hoist: boolean): Piece[] {
  const out: Piece[] = [];
  let last = 0;
  for (const match of node.value.matchAll(placeholderPattern)) {
    const value = values.get(match[1] as string);
    if (value === undefined) continue;
    if (match.index > last) out.push({ type: 'text', value: node.value.slice(last, match.index) });
    const fenced = value.includes('\n') && hoist;
    if (fenced) out.push(fencedValue(value));
    else out.push(literal(value.replace(/\s*\n\s*/g, ' ')));
    last = match.index + match[0].length;
    // A value that ends its own sentence ("Should we ship?") takes the place of the template's
    // full stop: never "ship?." or "done..".
    if (!fenced && /[.?!]$/.test(value) && node.value[last] === '.') last += 1;
  }
  if (last === 0) return [node];
  if (last < node.value.length) out.push({ type: 'text', value: node.value.slice(last) });
  return out;
}

/** A multi-line value as a fenced block; the serializer picks a fence longer than any inside. */
export function fencedValue(value: string): Code {
  return { type: 'code', lang: null, meta: null, value: value.replace(/\n+$/, '') };
}

/**
 * A single-line value as exact, inert inline content: plain text when the serializer prints it
 * unchanged, otherwise inline code, which Markdown never interprets. (Escaping would keep it
 * inert too, but would change it: `src/__init__.py` must reach the worker as written.)
 */
export function literal(value: string): PhrasingContent {
  if (plainValue.test(value)) return { type: 'text', value };
  const printed = stringifyMarkdown({ type: 'paragraph', children: [{ type: 'text', value }] }).replace(/\n$/, '');
  return printed === value ? { type: 'text', value } : { type: 'inlineCode', value };
}

/**
 * Values the serializer prints unchanged, known without running it: ASCII words, paths and
 * numbers with single spaces between them, holding no character mdast-util-to-markdown ever
 * escapes (its `unsafe` list) except `.` and `-`, which it escapes only where a line starts
 * with a list marker (`1. `, `- `, `--`): this starts with a letter, digit or `/`, and never
 * with digits and `.` or `)` then a space or the end. A test checks it against the serializer.
 */
export const plainValue = /^(?!\d+[.)](?: |$))[\dA-Za-z/][\dA-Za-z/,.:;@%-]*(?: [\dA-Za-z/,.:;@%-]+)*$/;

/** `label value` as a paragraph for a single-line value, or the label and a fenced block. */
export function valueNodes(label: string, value: string): RootContent[] {
  if (value.includes('\n')) return [{ type: 'paragraph', children: [{ type: 'text', value: label }] }, fencedValue(value)];
  return [{ type: 'paragraph', children: [{ type: 'text', value: `${label} ` }, literal(value)] }];
}

function trimEdges(nodes: PhrasingContent[]): PhrasingContent[] {
  const out = [...nodes];
  const first = out[0];
  if (first?.type === 'text') out[0] = { ...first, value: first.value.replace(/^\s+/, '') };
  const lastIndex = out.length - 1;
  const last = out[lastIndex];
  if (last?.type === 'text') out[lastIndex] = { ...last, value: last.value.replace(/\s+$/, '') };
  return out.filter((n) => !(n.type === 'text' && n.value === ''));
}

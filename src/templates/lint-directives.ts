import type { Nodes, Root } from 'mdast';

/** The comment that switches lint rules off for one file: `<!-- orch-prompt-lint-disable ids -->`. */
export const disableDirective = 'orch-prompt-lint-disable';

/** One disable directive inside an HTML node's value. */
export interface DirectiveComment {
  /** Where the comment starts in the node's value. */
  index: number;
  /** The whole comment, `<!--` to `-->`. */
  text: string;
  /** The words after the directive name (rule ids, or anything else someone wrote there). */
  words: Array<{ word: string; index: number }>;
}

const comment = /<!--([^]*?)-->/g;
const directiveStart = /^\s*orch-prompt-lint-disable(?=\s|$)/;

/**
 * The disable directives in the value of an HTML node. Only a real HTML comment counts: the
 * caller passes `html` nodes of a parsed body, so the same text inside frontmatter, inline code
 * or a code block is content, never a directive.
 */
export function directiveComments(html: string): DirectiveComment[] {
  const out: DirectiveComment[] = [];
  for (const match of html.matchAll(comment)) {
    const inner = match[1] ?? '';
    const start = directiveStart.exec(inner);
    if (!start) continue;
    const listStart = match.index + 4 + start[0].length;
    const words = [...inner.slice(start[0].length).matchAll(/[^\s,]+/g)].map((word) => ({ word: word[0], index: listStart + word.index }));
    out.push({ index: match.index, text: match[0], words });
  }
  return out;
}

/**
 * Remove disable directives from a template body: they are instructions to the linter, not to
 * the worker, and no prompt may carry them. An HTML node holding nothing else is dropped.
 */
export function stripDirectives<T extends Root>(tree: T): T {
  const strip = (nodes: Nodes[]): Nodes[] => {
    const out: Nodes[] = [];
    // Where a directive was cut out of running text: the spaces around it must not double up or
    // end a line (the serializer would print a trailing space as `&#x20;`).
    const cuts = new Set<number>();
    for (const node of nodes) {
      if (node.type === 'html') {
        const directives = directiveComments(node.value);
        if (directives.length > 0) {
          let value = node.value;
          for (const directive of [...directives].reverse()) value = value.slice(0, directive.index) + value.slice(directive.index + directive.text.length);
          if (value.trim() === '') {
            cuts.add(out.length);
            continue;
          }
          out.push({ ...node, value: value.trim() });
          continue;
        }
      }
      out.push('children' in node ? ({ ...node, children: strip(node.children as Nodes[]) } as Nodes) : node);
    }
    for (const cut of cuts) {
      const before = out[cut - 1];
      const after = out[cut];
      if (after?.type === 'text' && (cut === 0 || (before?.type === 'text' && /\s$/.test(before.value)))) {
        out[cut] = { ...after, value: after.value.replace(/^\s+/, '') };
      } else if (before?.type === 'text' && after === undefined) {
        out[cut - 1] = { ...before, value: before.value.replace(/\s+$/, '') };
      }
    }
    return out.filter((node) => !(node.type === 'text' && node.value === ''));
  };
  return { ...tree, children: strip(tree.children as Nodes[]) };
}

import type { Heading, Root, RootContent } from 'mdast';
import { toString } from 'mdast-util-to-string';

/** A `##` section of a template body. */
export interface Section {
  heading: Heading;
  /** The heading text, normalized: lowercase, no trailing colon, straight apostrophes. */
  key: string;
  children: RootContent[];
}

/** What a body holds: content before the first `##` heading, and the sections. */
export interface SplitBody {
  lead: RootContent[];
  sections: Section[];
}

/** Split a body tree at its depth-2 headings. */
export function splitSections(tree: Root): SplitBody {
  const lead: RootContent[] = [];
  const sections: Section[] = [];
  for (const node of tree.children) {
    if (node.type === 'heading' && node.depth === 2) {
      sections.push({ heading: node, key: sectionKey(toString(node)), children: [] });
    } else {
      (sections.at(-1)?.children ?? lead).push(node);
    }
  }
  return { lead, sections };
}

/** Normalize a heading's text to compare it with the known section names. */
export function sectionKey(text: string): string {
  return text
    .trim()
    .replace(/[:\s]+$/, '')
    .replace(/[\u2018\u2019]/g, "'")
    .toLowerCase();
}

/** Section keys of a role body, with the spellings accepted for each. */
export const roleSectionKeys = {
  task: ['task'],
  do: ['do'],
  output: ['output'],
  dont: ["don't", 'dont', 'do not'],
} as const;

/** Which role section a heading key names, if any. */
export function roleSectionOf(key: string): keyof typeof roleSectionKeys | undefined {
  for (const [section, spellings] of Object.entries(roleSectionKeys)) {
    if ((spellings as readonly string[]).includes(key)) return section as keyof typeof roleSectionKeys;
  }
  return undefined;
}

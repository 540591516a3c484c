import type { Link, Definition } from 'mdast';
import { visit } from 'unist-util-visit';
import { defineRule, type Place } from '../../rule.js';
import type { SkillLintInput } from '../skill-input.js';

/**
 * Every relative link in the skill's Markdown resolves to a file of the skill folder: an agent
 * told to read `references/patterns.md` must find it. Links to the web and anchors are not
 * checked.
 */
export default defineRule<SkillLintInput>({
  id: 'skill-links',
  appliesTo: 'skill',
  severity: 'error',
  summary: 'Relative links in the skill Markdown point to files in the skill folder.',
  messages: {
    broken: 'link to `{url}` does not resolve, expected a file in the skill folder (found no `{path}`)',
    outside: 'link to `{url}` leaves the skill folder, expected a path inside it',
  },
  check(input, report) {
    for (const link of localLinks(input)) {
      if (link.path === undefined) report('outside', link.place, { url: link.url });
      else if (!input.files.has(link.path) && ![...input.files].some((f) => f.startsWith(`${link.path}/`))) report('broken', link.place, { url: link.url, path: link.path });
    }
  },
});

/** A relative link in a skill page, with the skill path it points to (`undefined`: outside the folder). */
export interface LocalLink {
  url: string;
  path: string | undefined;
  place: Place;
}

/** The relative links of a skill page (links to the web and anchors left out). */
export function localLinks(input: SkillLintInput): LocalLink[] {
  if (!input.doc) return [];
  const base = input.file.includes('/') ? input.file.slice(0, input.file.lastIndexOf('/')) : '';
  const out: LocalLink[] = [];
  visit(input.doc.tree, (node) => {
    if (node.type !== 'link' && node.type !== 'definition') return;
    const url = (node as Link | Definition).url;
    if (url === '' || url.startsWith('#') || /^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('//')) return;
    const target = url.replace(/[#?].*$/, '');
    const place = node.position ? { line: node.position.start.line, column: node.position.start.column } : { line: 1, column: 1 };
    out.push({ url, path: resolve(base, safeDecode(target)), place });
  });
  return out;
}

function safeDecode(target: string): string {
  try {
    return decodeURIComponent(target);
  } catch {
    return target;
  }
}

/** Resolve a relative path against a folder inside the skill; undefined when it leaves the skill. */
function resolve(base: string, target: string): string | undefined {
  const parts = target.startsWith('/') ? [] : base.split('/').filter(Boolean);
  for (const part of target.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(part);
  }
  return parts.join('/');
}

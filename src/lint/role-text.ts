import type { RootContent } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { roleSectionOf, type Section } from '../templates/sections.js';
import type { Place } from './rule.js';
import type { TemplateLintInput } from './template-input.js';

/**
 * What the prompt-guidance rules read in a role: its sections' plain text, and the kind of work
 * it does. They look for what a worker needs to be told, so they read words, not structure:
 * a team writes its own templates in its own words, and a rule that misreads one is turned off
 * for that file with an inline disable comment.
 */

/** The first section of a role body that is `key` (task, do, output, dont). */
export function roleSection(input: TemplateLintInput, key: 'task' | 'do' | 'output' | 'dont'): Section | undefined {
  return input.sections().sections.find((section) => roleSectionOf(section.key) === key);
}

/** Plain text of some Markdown blocks (lists, paragraphs, code), one block a line. */
export function blocksText(nodes: readonly RootContent[]): string {
  return nodes.map((node) => toString(node)).join('\n');
}

/** Plain text of the role's sections named, in that order. */
export function sectionsText(input: TemplateLintInput, keys: ReadonlyArray<'task' | 'do' | 'output' | 'dont'>): string {
  return keys.map((key) => blocksText(roleSection(input, key)?.children ?? [])).join('\n');
}

/** Where to report about a section: its heading, or the end of the file when it is missing. */
export function sectionPlace(input: TemplateLintInput, section: Section | undefined): Place {
  const start = section?.heading.position?.start;
  return start ? { line: start.line, column: start.column } : input.pointAt(input.text.length);
}

const reviewWords = /\b(?:review|audit|verif|inspect|assess|critiqu|evaluat|check)/i;

/**
 * A review-kind role: it reads and judges rather than edits. Read from what the role says it
 * does (its name, description and task line), since the frontmatter has no key for it.
 */
export function isReviewRole(input: TemplateLintInput): boolean {
  if (input.kind !== 'role' || input.data['edits'] === true) return false;
  const said = [input.data['name'], input.data['description']].filter((v) => typeof v === 'string').join('\n');
  return reviewWords.test(said) || reviewWords.test(sectionsText(input, ['task']));
}

/** An editing role (`edits: true`). */
export function isEditingRole(input: TemplateLintInput): boolean {
  return input.kind === 'role' && input.data['edits'] === true;
}

import type { Nodes } from 'mdast';
import { roleSectionOf } from '../../templates/sections.js';
import { defineRule } from '../rule.js';
import { nodeIndex, sourceOf } from '../scan.js';
import type { TemplateLintInput } from '../template-input.js';

// What starting another worker looks like: the tools, and a verb aimed at workers or agents.
const trigger =
  /\bcodex[ \t]+exec\b|\bspawn_agent\b|\b(?:start|spawn|launch|run|fork|create|kick[ \t]+off|dispatch|fan[ \t]+out(?:[ \t]+to)?|delegate(?:[ \t]+to)?|hand[ \t]+(?:it[ \t]+)?off[ \t]+to)\b[ \t]+(?:[\w'`-]+[ \t]+){0,3}?(?:sub-?agents?|workers?|agents?|codex[ \t]+(?:processes|instances|sessions))\b/gi;
// Every trigger names one of these; most text has none and is skipped at once.
const mentionsWorkers = /codex|spawn_agent|worker|agent|process|instance|session/i;
// A clause that forbids instead of instructs.
const negation =
  /\b(?:not|never|no|nor|don't|dont|doesn't|mustn't|shouldn't|cannot|can't|won't|avoid|without|instead[ \t]+of|rather[ \t]+than|refuse|forbid(?:den)?|prohibit(?:ed)?)\b/i;
const negatedAfter = /^[^.;:!?\n]*?\b(?:is|are)[ \t]+(?:not[ \t]+allowed|forbidden|prohibited|off[ \t]+limits)\b/i;
// Clauses end at sentence punctuation, semicolons, colons and line breaks.
const clauseEnd = /[.;:!?](?=\s|$)|\n/g;

/**
 * A worker template must not tell the worker to start other workers (`codex exec`,
 * `spawn_agent`, "delegate to sub-agents"): the recursion the orchestration guide forbids.
 * Prohibitions are fine and common ("never run `codex exec`"), so a mention in a clause with a
 * negation before it, or under a `## Don't` heading, is not reported.
 */
export default defineRule<TemplateLintInput>({
  id: 'worker-spawns-workers',
  appliesTo: 'template',
  severity: 'error',
  summary: 'A worker template never tells the worker to start other workers (`codex exec`, `spawn_agent`, sub-agents).',
  messages: {
    spawns: 'tells the worker to start other workers (`{found}`), expected the worker to do the task itself: fanning out is the orchestrator\'s job',
  },
  check(input, report) {
    if (input.kind === undefined) return;
    const skipped = dontSections(input);
    let coveredUntil = -1;
    for (const node of nodeIndex(input.doc.tree).blocks) {
      const source = sourceOf(input, node);
      // A block inside one already read (a paragraph in a table cell...) is not read twice.
      if (!source || source.offset < coveredUntil) continue;
      coveredUntil = source.offset + source.text.length;
      if (skipped.some(([from, to]) => source.offset >= from && source.offset < to)) continue;
      for (const found of instructions(source.text)) {
        report('spawns', input.pointAt(source.offset + found.index), { found: found.text.replace(/\s+/g, ' ') });
      }
    }
  },
});

/** Mentions of starting workers that are not negated within their clause. */
export function instructions(text: string): Array<{ index: number; text: string }> {
  const out: Array<{ index: number; text: string }> = [];
  if (!mentionsWorkers.test(text)) return out;
  for (const match of text.matchAll(trigger)) {
    const start = clauseStart(text, match.index);
    const before = text.slice(start, match.index);
    const after = text.slice(match.index + match[0].length);
    if (negation.test(before) || negatedAfter.test(after)) continue;
    out.push({ index: match.index, text: match[0] });
  }
  return out;
}

function clauseStart(text: string, index: number): number {
  let start = 0;
  for (const end of text.slice(0, index).matchAll(clauseEnd)) start = end.index + end[0].length;
  return start;
}

/** Offsets covered by `## Don't` sections: everything listed there is a prohibition. */
function dontSections(input: TemplateLintInput): Array<[number, number]> {
  if (input.kind !== 'role') return [];
  const ranges: Array<[number, number]> = [];
  for (const section of input.sections().sections) {
    if (roleSectionOf(section.key) !== 'dont') continue;
    const from = section.heading.position?.end.offset;
    const last: Nodes | undefined = section.children.at(-1);
    const to = last?.position?.end.offset;
    if (from !== undefined && to !== undefined) ranges.push([from, to]);
  }
  return ranges;
}

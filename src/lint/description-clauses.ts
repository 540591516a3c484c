// What a description says, read the same way for a skill and for a custom agent: an agent picks
// one or the other by its description alone.

// "Use when", "Use it when", "Use this skill when"; the negative forms are told apart below.
const useWhen = /\buse (?:it |this (?:skill |agent )?)?when\b/gi;
const negated = /(?:\bnot|\bnever|n't)\s+$/i;
// "Do not use it for", "Don't use when", "Not for", "Skip it when", "Avoid it for", ...
const whenNot = /\b(?:(?:do not|don't|never) use\b(?: it| this(?: skill| agent)?)? (?:when|for|if|on|to)\b|not (?:meant |intended |suited )?for\b|(?:skip|avoid) (?:it |this(?: skill| agent)? )?(?:when|for|if)\b)/i;

/** Where the positive "Use when" clause starts, or -1. */
function useWhenAt(text: string): number {
  for (const match of text.matchAll(useWhen)) {
    if (!negated.test(text.slice(Math.max(0, match.index - 8), match.index))) return match.index;
  }
  return -1;
}

/** Which of its three parts a description has. */
export interface DescriptionClauses {
  /** It starts with at least three words saying what the thing does, before any clause. */
  what: boolean;
  /** A "Use when ..." clause (not negated). */
  useWhen: boolean;
  /** A boundary: "Do not use it for ...", "Not for ...", "Skip it when ...". */
  whenNot: boolean;
}

/** Read a description (whitespace is collapsed first). */
export function descriptionClauses(description: string): DescriptionClauses {
  const text = description.replace(/\s+/g, ' ').trim();
  const positive = useWhenAt(text);
  const negative = text.search(whenNot);
  const firstClause = Math.min(...[positive, negative].filter((at) => at >= 0), text.length);
  const what = text.slice(0, firstClause).split(' ').filter((word) => /\w/.test(word)).length >= 3;
  return { what, useWhen: positive >= 0, whenNot: negative >= 0 };
}

import { distance } from 'fastest-levenshtein';

/**
 * The candidate closest to `input`, when it is close enough to be a likely typo. A candidate
 * that `input` begins (a name cut short: `secu` for `security`, three letters at least) counts
 * as one edit away; not the other way round, or `secruity` would find the alias `sec` before
 * `security`.
 */
export function closest(input: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = input.length >= 3 && candidate.startsWith(input) ? 1 : distance(input, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(input.length / 3)) ? best : undefined;
}

/** ` (did you mean `x`?)` or nothing. */
export function didYouMean(input: string, candidates: Iterable<string>): string {
  const match = closest(input, candidates);
  return match === undefined ? '' : ` (did you mean \`${match}\`?)`;
}

/**
 * The one "unknown name" message: ``unknown lens `secruity`, expected one of `a`, `b` (did you
 * mean `security`?)``. `suggestion` replaces the plain closest-name hint where names have aliases.
 */
export function unknownName(what: string, input: string, known: readonly string[], suggestion = didYouMean(input, known)): string {
  return `unknown ${what} \`${input}\`, expected one of ${quoteList(known)}${suggestion}`;
}

/** `a`, `b`, `c` for messages. */
export function quoteList(items: readonly string[]): string {
  return items.map((item) => `\`${item}\``).join(', ');
}

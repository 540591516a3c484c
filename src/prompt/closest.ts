import { distance } from 'fastest-levenshtein';

/** The candidate closest to `input`, when it is close enough to be a likely typo. */
export function closest(input: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = candidate.startsWith(input) || input.startsWith(candidate) ? 1 : distance(input, candidate);
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

/** `a`, `b`, `c` for messages. */
export function quoteList(items: readonly string[]): string {
  return items.map((item) => `\`${item}\``).join(', ');
}

import { parse } from 'micromark';
import { attention } from 'micromark-core-commonmark';
import { resolveAll } from 'micromark-util-resolve-all';
import type { Construct, Event, Point, Token, TokenizeContext, TokenType } from 'micromark-util-types';

/**
 * Make emphasis and strong resolution linear in the number of `*` and `_` runs.
 *
 * micromark (`micromark-core-commonmark` 2.0.4, the latest) pairs attention sequences by walking
 * back from every sequence that can close over every event before it, and splices each pair
 * into the whole event list; once paired, the text between is resolved again on every enclosing
 * pair. A 100 KB run of `*_` took two minutes. This resolver makes the same pairs with the same
 * tokens and events, so the trees are identical, but:
 * - it walks back over the sequences that can still open only, and remembers, per kind of
 *   closer, how far down the last search failed (the CommonMark reference's "openers bottom":
 *   a sequence below that line cannot open for a closer of that kind until a pair touches it);
 * - it builds its output as it goes, a closed pair carried as one item (its events settled),
 *   so nothing is spliced into the whole list and nothing inside a pair is walked again.
 * Resolving the text of a pair again (what micromark does) finds nothing to pair there: every
 * sequence left between two partners was already refused every opener before it, and nothing
 * inside a closed pair is a sequence any more. So the text between is only settled: left-over
 * sequences become data and adjacent data merge, with the same resolvers micromark uses.
 */
export function useLinearAttention(): void {
  if (attention.resolveAll === resolveAllAttention) return;
  attention.resolveAll = resolveAllAttention;
}

/** The type of the item that carries a closed pair's events (never seen outside this module). */
const pairType = 'orchAttentionPair' as TokenType;

interface Pair extends Token {
  events: Event[];
}

interface Opener {
  token: Token;
  /** Where its exit event is in the output. */
  exit: number;
  marker: number;
}

/** Resolves in place, as micromark's resolvers do: its callers may hold on to `events`. */
function resolveAllAttention(events: Event[], context: TokenizeContext): Event[] {
  const resolved = flatten(pairSequences(events, context));
  events.length = resolved.length;
  for (let index = 0; index < resolved.length; index++) events[index] = resolved[index] as Event;
  return events;
}

/** Pair the sequences of `events`; closed pairs come back as single {@link Pair} items. */
function pairSequences(events: Event[], context: TokenizeContext): Event[] {
  const items: Event[] = [];
  const openers: Opener[] = [];
  // Per kind of closer (marker, whether it can open, its size modulo 3): openers below this
  // index cannot open it.
  const bottoms = new Array<number>(12).fill(0);
  for (let index = 0; index < events.length; index++) {
    const event = events[index] as Event;
    const token = event[1];
    if (event[0] === 'enter' && token.type === 'attentionSequence' && token._close) {
      index++;
      close(event, events[index] as Event);
      continue;
    }
    items.push(event);
    if (event[0] === 'exit' && token.type === 'attentionSequence' && token._open) openers.push({ token, exit: items.length - 1, marker: markerOf(context, token) });
  }
  for (const item of items) if (item[1].type === 'attentionSequence') item[1].type = 'data';
  return items;

  function close(enter: Event, exit: Event): void {
    const closer = enter[1];
    const marker = markerOf(context, closer);
    for (;;) {
      const found = findOpener(closer, marker);
      if (found === -1) break;
      const opener = openers[found] as Opener;
      openers.length = found;
      for (let kind = 0; kind < bottoms.length; kind++) if ((bottoms[kind] as number) > found) bottoms[kind] = found;
      const between = items.splice(opener.exit + 1);
      items.length = opener.exit - 1;
      const pair = makePair(opener.token, closer, between, context);
      if (size(opener.token) > 0) {
        items.push(['enter', opener.token, context], ['exit', opener.token, context]);
        openers.push({ ...opener, exit: items.length - 1 });
      }
      items.push(['enter', pair, context]);
      if (size(closer) === 0) return;
      enter = ['enter', closer, context];
      exit = ['exit', closer, context];
    }
    items.push(enter, exit);
    if (closer._open) openers.push({ token: closer, exit: items.length - 1, marker });
  }

  function findOpener(closer: Token, marker: number): number {
    const closerSize = size(closer);
    const kind = (marker === 42 ? 0 : 6) + (closer._open ? 3 : 0) + (closerSize % 3);
    for (let at = openers.length - 1; at >= (bottoms[kind] as number); at--) {
      const opener = openers[at] as Opener;
      if (opener.marker !== marker) continue;
      // The rule of three: a sequence that can both open and close pairs with another only when
      // their sizes do not add up to a multiple of three (unless both are).
      if ((opener.token._close || closer._open) && closerSize % 3 && !((size(opener.token) + closerSize) % 3)) continue;
      return at;
    }
    bottoms[kind] = openers.length;
    return -1;
  }
}

/**
 * Take one or two markers off the opener's end and the closer's start, and make the emphasis or
 * strong group around the settled text between them (micromark's tokens, points and order).
 */
function makePair(opener: Token, closer: Token, between: Event[], context: TokenizeContext): Pair {
  const use = size(opener) > 1 && size(closer) > 1 ? 2 : 1;
  const strong = use > 1;
  const start = { ...opener.end };
  const end = { ...closer.start };
  movePoint(start, -use);
  movePoint(end, use);
  const openingSequence: Token = { type: strong ? 'strongSequence' : 'emphasisSequence', start, end: { ...opener.end } };
  const closingSequence: Token = { type: strong ? 'strongSequence' : 'emphasisSequence', start: { ...closer.start }, end };
  const text: Token = { type: strong ? 'strongText' : 'emphasisText', start: { ...opener.end }, end: { ...closer.start } };
  const group: Token = { type: strong ? 'strong' : 'emphasis', start: { ...openingSequence.start }, end: { ...closingSequence.end } };
  opener.end = { ...openingSequence.start };
  closer.start = { ...closingSequence.end };
  const events: Event[] = [
    ['enter', group, context],
    ['enter', openingSequence, context],
    ['exit', openingSequence, context],
    ['enter', text, context],
    ...settle(between, context),
    ['exit', text, context],
    ['enter', closingSequence, context],
    ['exit', closingSequence, context],
    ['exit', group, context],
  ];
  return { type: pairType, start: group.start, end: group.end, events };
}

type SpanResolvers = ReadonlyArray<Pick<Construct, 'resolveAll'>>;

let defaultInsideSpan: SpanResolvers | undefined;

/**
 * What micromark's second pass over the text between two partners does: resolve it with the
 * resolvers for the inside of spans. With micromark's own two (attention, then merging adjacent
 * data), closed pairs are kept as single items, which neither resolver looks into. With any
 * other list (an extension's), the events are given whole to those resolvers.
 */
function settle(between: Event[], context: TokenizeContext): Event[] {
  const resolvers: SpanResolvers = context.parser.constructs.insideSpan.null ?? [];
  defaultInsideSpan ??= parse().constructs.insideSpan.null ?? [];
  const text = resolvers[1];
  if (resolvers.length === 2 && resolvers[0] === attention && text === defaultInsideSpan[1] && text?.resolveAll) {
    // Most often nothing between can close (one marker left over): then pairing only turns the
    // sequences into data, without the bookkeeping.
    // (Indexes, not destructuring: this runs once per pair, and a tuple is destructured slowly.)
    let closes = false;
    for (let index = 0; index < between.length && !closes; index++) {
      const event = between[index] as Event;
      closes = event[0] === 'enter' && event[1].type === 'attentionSequence' && event[1]._close === true;
    }
    if (closes) return text.resolveAll(pairSequences(between, context), context);
    for (let index = 0; index < between.length; index++) {
      const token = (between[index] as Event)[1];
      if (token.type === 'attentionSequence') token.type = 'data';
    }
    return text.resolveAll(between, context);
  }
  return resolveAll(resolvers, flatten(between), context);
}

/** The events of `items` with every closed pair opened up, nested pairs included. */
function flatten(items: Event[]): Event[] {
  const out: Event[] = [];
  const lists: Event[][] = [items];
  const positions: number[] = [0];
  while (lists.length > 0) {
    const top = lists.length - 1;
    const list = lists[top] as Event[];
    const at = positions[top] as number;
    if (at === list.length) {
      lists.pop();
      positions.pop();
      continue;
    }
    positions[top] = at + 1;
    const item = list[at] as Event;
    if (item[1].type === pairType) {
      lists.push((item[1] as Pair).events);
      positions.push(0);
    } else out.push(item);
  }
  return out;
}

function markerOf(context: TokenizeContext, token: Token): number {
  return context.sliceSerialize(token).charCodeAt(0);
}

function size(token: Token): number {
  return token.end.offset - token.start.offset;
}

/** Move a point within its line (micromark's `movePoint`). */
function movePoint(point: Point, offset: number): void {
  point.column += offset;
  point.offset += offset;
  point._bufferIndex += offset;
}

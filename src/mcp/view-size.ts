import { limits } from './limits.js';

type Row = Record<string, unknown>;

/** A text this long or longer, in a worker's fields, is cut when a view is too large. */
const fieldChars = 1_000;

/**
 * A run view no larger than a call may return (`limits.viewChars` as JSON): when it is larger,
 * every long text of its workers (errors, attempts) is cut to its start, and when that is not
 * enough, the workers that do not fit are shown by id and status only. What is cut says where
 * it is whole: the run's manifest, a worker's final message file.
 */
export function fitView(view: Row, manifestFile: string): Row {
  if (size(view) <= limits.viewChars) return view;
  const marker = ` ... (cut: the whole text is in ${manifestFile})`;
  const workers = (view['workers'] as Row[]).map((w) => Object.fromEntries(Object.entries(w).map(([key, value]) => [key, key === 'finalMessage' ? value : cutTexts(value, marker)])));
  const cut = { ...view, workers };
  if (size(cut) <= limits.viewChars) return cut;
  // Every worker by id and status first; then, in order, each whole as long as it fits.
  const stubs = workers.map((w) => stub(w, manifestFile));
  let room = limits.viewChars - size({ ...view, workers: stubs });
  const fitted = workers.map((w, i) => {
    const more = size(w) - size(stubs[i]);
    if (more > room) return stubs[i];
    room -= more;
    return w;
  });
  return { ...view, workers: fitted };
}

function stub(w: Row, manifestFile: string): Row {
  return { id: w['id'], status: w['status'], finalMessage: null, cut: `too much to return in one call: see ${manifestFile}${typeof w['lastMessage'] === 'string' ? ` and ${w['lastMessage']}` : ''}` };
}

function cutTexts(value: unknown, marker: string): unknown {
  if (typeof value === 'string') return value.length > fieldChars ? value.slice(0, fieldChars) + marker : value;
  if (Array.isArray(value)) return value.map((item) => cutTexts(item, marker));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, cutTexts(item, marker)]));
  return value;
}

function size(value: unknown): number {
  return JSON.stringify(value).length;
}

import { splice } from 'micromark-util-chunked';
import { EditMap } from 'micromark-util-edit-map';

let done = false;

/**
 * Make the Markdown parser linear in the number of lists and quotes.
 *
 * micromark 4.0.3 (under remark-parse) closes every list or block quote that a later block ends
 * with `EditMap#consume`, which copies the whole event list of the document so far to apply a
 * small edit near its end (4.0.2 spliced in place; 4.0.3 is the latest release): a template with 3,000 `## Section` + list pairs took half a minute
 * to parse, and a 1 MB file of them would take hours. The replacement applies the same edits in
 * place, last first, so each costs only the events after it (a few, for these edits). The
 * result is identical: the edits never overlap, and applying them from the end keeps the
 * indexes of the earlier ones valid. Installed on first parse, not on import, so that loading
 * the module has no side effect.
 */
export function useLinearEditMap(): void {
  if (done) return;
  done = true;
  EditMap.prototype.consume = function consume(this: EditMap, events: Parameters<EditMap['consume']>[0]): undefined {
    if (this.map.length === 0) return;
    this.map.sort((a, b) => a[0] - b[0]);
    for (let index = this.map.length - 1; index >= 0; index--) {
      const [at, remove, add] = this.map[index] as (typeof this.map)[number];
      splice(events, at, remove, add);
    }
    this.map.length = 0;
    this.index.clear();
  };
}

import type { RunRow } from '../../run/index.js';
import { safeLine } from './safe-line.js';

/** `orch-prompt runs`: one line per run (an unreadable one with the reason). */
export function runsTable(root: string, rows: readonly RunRow[]): string {
  if (rows.length === 0) return `No runs under ${safeLine(root)}.\n`;
  const table = rows.map((r) =>
    (r.error !== undefined ? [r.id, r.status, '-', '-', r.error] : [r.id, r.status, `${r.succeeded}/${r.workers}`, r.startedAt ?? '-', r.roles.join(',')]).map(safeLine),
  );
  const head = ['run', 'status', 'ok', 'started', 'roles'];
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((row) => (row[i] as string).length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] as number)).join('  ').trimEnd();
  return `${[line(head), ...table.map(line)].join('\n')}\n`;
}

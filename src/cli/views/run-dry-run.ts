import { shellQuote } from '../../run/codex-args.js';
import type { WorkerRecord } from '../../run/model.js';
import type { PlannedWorker } from '../../run/scheduler.js';

/** `--dry-run --format json`: one row per worker. */
export function dryRunJson(workers: readonly PlannedWorker[], records: readonly WorkerRecord[]): unknown[] {
  return records.map((r, i) => ({
    id: r.id,
    stage: r.stageName,
    role: r.role,
    lenses: r.lenses,
    sandbox: r.sandbox,
    cwd: r.cwd,
    promptBytes: r.promptBytes,
    receives: workers[i]?.spec.inputs ?? null,
    command: r.command,
  }));
}

/** `--dry-run`: the plan matrix and the exact command of each worker. */
export function dryRunText(workers: readonly PlannedWorker[], records: readonly WorkerRecord[]): string {
  const rows = records.map((r, i) => [
    r.id,
    r.stageName,
    r.role,
    r.lenses.join(',') || '-',
    r.sandbox,
    r.cwd,
    `${r.promptBytes} B${workers[i]?.renderWith ? '+' : ''}`,
  ]);
  const head = ['worker', 'stage', 'role', 'lenses', 'sandbox', 'cwd', 'prompt'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] as number)).join('  ').trimEnd();
  const commands = records.map((r) => `  ${r.id}: ${shellQuote(r.command)} < ${r.files.prompt}`);
  const note = workers.some((w) => w.renderWith) ? ['', '+ the prompt grows by the earlier stages\' final messages when its stage starts.'] : [];
  return [line(head), ...rows.map(line), ...note, '', 'Commands (prompt on stdin):', ...commands, ''].join('\n');
}

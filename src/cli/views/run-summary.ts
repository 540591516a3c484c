import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { nextStep } from '../../front/run-view.js';
import { runTotals, type Executor, type Manifest, type WorkerRecord } from '../../run/index.js';
import { safeLine } from './safe-line.js';

/** The end-of-run table and the paths of the final messages. */
export function summaryText(runDir: string, manifest: Manifest, status: string = manifest.status, executors: readonly Pick<Executor, 'summaryLines'>[] = []): string {
  // Ids, errors and paths may hold what a model or Codex wrote: shown, never obeyed by the terminal.
  const rows = manifest.workers.map((w) => [w.id, w.status, seconds(w.durationMs), tokens(w), w.attempts.length > 1 ? String(w.attempts.length) : '', w.error ?? ''].map(safeLine));
  const head = ['worker', 'status', 'time', 'tokens', 'tries', 'error'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] as number))).join('  ').trimEnd();
  const ok = manifest.workers.filter((w) => w.status === 'succeeded').length;
  const stopped = manifest.stopped ? `, stopped by the ${safeLine(manifest.stopped.detail)}` : '';
  const out = [`run ${safeLine(manifest.id)}: ${status} (${ok}/${manifest.workers.length} succeeded)${stopped}`, line(head), ...rows.map(line), '', ...usageTable(manifest)];
  // Only files that are there: a path that does not exist is no final message.
  const finals = manifest.workers.filter((w) => w.status === 'succeeded' && existsSync(join(runDir, w.files.lastMessage)));
  if (finals.length > 0) out.push('Final messages:', ...finals.map((w) => `  ${safeLine(join(runDir, w.files.lastMessage))}`));
  if (manifest.merged) out.push(`Merged: ${safeLine(join(runDir, manifest.merged))}`);
  // What each executor has to say of what its workers left (worktrees kept, with their branches).
  for (const executor of executors) out.push(...(executor.summaryLines?.(manifest) ?? []).map(safeLine));
  out.push(`Manifest: ${safeLine(join(runDir, 'manifest.json'))}`);
  const next = nextStep(runDir, manifest, status);
  if (next !== null) out.push(`Continue it: ${safeLine(next)}`);
  out.push('');
  return out.join('\n');
}

/** What each worker spent and the run's total, with the estimated cost at the run's prices. */
function usageTable(manifest: Manifest): string[] {
  const used = manifest.workers.filter((w) => w.usage !== null);
  if (used.length === 0) return [];
  const totals = runTotals(manifest);
  const usd = (cost: number | null | undefined): string => (cost === null || cost === undefined ? '?' : `$${cost.toFixed(4)}`);
  const rows = used.map((w) => [w.id, modelText(w), String(w.usage?.input_tokens ?? 0), String(w.usage?.cached_input_tokens ?? 0), String(w.usage?.output_tokens ?? 0), usd(w.costUsd)].map(safeLine));
  rows.push(['total', '', String(totals.input_tokens), String(totals.cached_input_tokens), String(totals.output_tokens), usd(totals.costUsd)]);
  const head = ['worker', 'model', 'input', 'cached', 'output', 'cost'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i >= 2 ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number))).join('  ').trimEnd();
  const prices = manifest.options.prices;
  const note = prices ? `estimated at prices of ${safeLine(prices.date)} (${safeLine(prices.source)}); ? = no price for the model` : 'no price table recorded';
  return [`Usage (tokens; ${note}):`, line(head), ...rows.map(line), ''];
}

/**
 * The model a worker ran, and how it was chosen when that says more: `gpt-5 (default)` for Codex's
 * configured default, `gpt-5 (-m gpt-5-codex)` when it is not the one asked for. Without a
 * rollout to tell, the one it was started with.
 */
function modelText(w: WorkerRecord): string {
  if (w.modelUsed === undefined) return w.model ?? '(default)';
  if (w.model === undefined) return `${w.modelUsed} (default)`;
  return w.model === w.modelUsed ? w.model : `${w.modelUsed} (-m ${w.model})`;
}

function seconds(ms: number | null): string {
  return ms === null ? '-' : `${(ms / 1000).toFixed(1)}s`;
}

function tokens(w: WorkerRecord): string {
  if (!w.usage) return '-';
  return String(w.usage.input_tokens + w.usage.output_tokens);
}

import type { Manifest } from '../record/model.js';
import { runTotals } from '../record/usage.js';

/** `spent` once the run's budget is used up, `exceeded` once it is gone over, else null. */
export function overBudget(manifest: Manifest): 'spent' | 'exceeded' | null {
  const budget = manifest.options.budget;
  if (budget === undefined) return null;
  const totals = runTotals(manifest);
  const usd = totals.costUsd ?? 0;
  if ((budget.tokens !== undefined && totals.tokens > budget.tokens) || (budget.usd !== undefined && usd > budget.usd)) return 'exceeded';
  if ((budget.tokens !== undefined && totals.tokens >= budget.tokens) || (budget.usd !== undefined && usd >= budget.usd)) return 'spent';
  return null;
}

/** `budget: 2200 tokens spent of --budget 1500, $0.4200 spent of --budget $0.4`. */
export function budgetMessage(manifest: Manifest): string {
  const budget = manifest.options.budget ?? {};
  const totals = runTotals(manifest);
  const parts: string[] = [];
  if (budget.tokens !== undefined) parts.push(`${totals.tokens} tokens spent of --budget ${budget.tokens}`);
  if (budget.usd !== undefined) parts.push(`$${(totals.costUsd ?? 0).toFixed(4)} spent of --budget $${budget.usd}`);
  return `budget: ${parts.join(', ')}`;
}

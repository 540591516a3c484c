import type { AttemptRecord, Manifest, TokenUsage, WorkerRecord } from './model.js';
import type { PriceTable } from '../settings/prices.js';

/** Usage of several turns together. */
export function addUsage(a: TokenUsage | null, b: TokenUsage | null): TokenUsage | null {
  if (a === null) return b;
  if (b === null) return a;
  return { input_tokens: a.input_tokens + b.input_tokens, cached_input_tokens: a.cached_input_tokens + b.cached_input_tokens, output_tokens: a.output_tokens + b.output_tokens };
}

/** The tokens a budget counts: input (cached included) and output. */
export function tokensOf(usage: TokenUsage | null): number {
  return usage === null ? 0 : usage.input_tokens + usage.output_tokens;
}

/** Estimated cost in dollars, or null when the model has no price (or is Codex's unnamed default). */
export function costOf(usage: TokenUsage | null, model: string | undefined, prices: PriceTable | undefined): number | null {
  if (usage === null) return 0;
  const price = model === undefined ? undefined : prices?.models[model];
  if (price === undefined) return null;
  const fresh = Math.max(0, usage.input_tokens - usage.cached_input_tokens);
  return (fresh * price.input + usage.cached_input_tokens * price.cachedInput + usage.output_tokens * price.output) / 1_000_000;
}

/**
 * Estimated cost of a worker's attempts, each at the model it actually ran, else at `model` (the
 * one the worker was started with); null when one that used tokens has no price.
 */
export function attemptsCost(attempts: ReadonlyArray<Pick<AttemptRecord, 'usage' | 'modelUsed'>>, model: string | undefined, prices: PriceTable | undefined): number | null {
  let total: number | null = 0;
  for (const attempt of attempts) {
    const cost = costOf(attempt.usage ?? null, attempt.modelUsed ?? model, prices);
    total = total === null || cost === null ? null : total + cost;
  }
  return total;
}

/** What a run spent, all workers and all attempts together. */
export interface UsageTotals {
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
  /** Input plus output: what `--budget` counts. */
  tokens: number;
  /** Estimated dollars; null when some worker that used tokens has no price. */
  costUsd: number | null;
}

/** The totals of a run's workers. */
export function usageTotals(workers: readonly WorkerRecord[]): UsageTotals {
  let usage: TokenUsage | null = null;
  let cost: number | null = 0;
  for (const w of workers) {
    usage = addUsage(usage, w.usage);
    cost = cost === null || w.costUsd === undefined || w.costUsd === null ? (w.usage === null ? cost : null) : cost + w.costUsd;
  }
  return { input_tokens: usage?.input_tokens ?? 0, cached_input_tokens: usage?.cached_input_tokens ?? 0, output_tokens: usage?.output_tokens ?? 0, tokens: tokensOf(usage), costUsd: cost };
}

/** {@link usageTotals} of a manifest. */
export function runTotals(manifest: Manifest): UsageTotals {
  return usageTotals(manifest.workers);
}

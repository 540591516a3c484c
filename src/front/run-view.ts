import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runTotals, type Manifest } from '../run/index.js';

/** `--format json` view of a run: the manifest minus the bulky command lines (and what failed the run as a whole). */
export function summaryJson(runDir: string, manifest: Manifest, status: string = manifest.status, error: string | null = null): Record<string, unknown> {
  return {
    id: manifest.id,
    runDir,
    status,
    ...(error !== null ? { error } : {}),
    startedAt: manifest.startedAt,
    finishedAt: manifest.finishedAt,
    ...(manifest.merged ? { merged: join(runDir, manifest.merged) } : {}),
    ...(manifest.stopped ? { stopped: manifest.stopped } : {}),
    ...(nextStep(runDir, manifest, status) !== null ? { next: nextStep(runDir, manifest, status) } : {}),
    usage: runTotals(manifest),
    ...(manifest.options.prices ? { prices: { date: manifest.options.prices.date, source: manifest.options.prices.source } } : {}),
    workers: manifest.workers.map((w) => ({
      id: w.id,
      stage: w.stageName,
      role: w.role,
      lenses: w.lenses,
      status: w.status,
      exitCode: w.exitCode,
      durationMs: w.durationMs,
      attempts: w.attempts,
      threadId: w.threadId,
      model: w.model ?? null,
      modelUsed: w.modelUsed ?? null,
      usage: w.usage,
      costUsd: w.costUsd ?? null,
      error: w.error,
      ...(w.structured ? { structured: w.structured } : {}),
      executor: w.executor,
      lastMessage: existsSync(join(runDir, w.files.lastMessage)) ? join(runDir, w.files.lastMessage) : null,
    })),
  };
}

/**
 * The command that continues a run that did not succeed: its workers that did not succeed run
 * again. A run its budget stopped goes on only with a larger budget, so the command says one.
 */
export function nextStep(runDir: string, manifest: Manifest, status: string): string | null {
  if (status === 'succeeded' || status === 'running') return null;
  const command = `orch-prompt runs resume ${runDir}`;
  if (manifest.stopped?.reason !== 'budget') return command;
  const budget = manifest.options.budget ?? {};
  const more = [
    ...(budget.tokens !== undefined ? [`--budget ${budget.tokens * 2}`] : []),
    ...(budget.usd !== undefined ? [`--budget '$${Math.round(budget.usd * 200) / 100}'`] : []),
  ];
  return [command, ...more].join(' ');
}

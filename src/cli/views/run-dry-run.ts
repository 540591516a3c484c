import { shellQuote } from '../../text/shell-quote.js';
import type { RunPlan } from '../../run/index.js';
import { safeLine } from './safe-line.js';

/** Prompt tokens as the prompt budget estimates them: a token is about four bytes. */
function estimateTokens(bytes: number): number {
  return Math.ceil(bytes / 4);
}

/** `--dry-run --format json`: one row per worker. */
export function dryRunJson(plan: RunPlan): unknown[] {
  return plan.manifest.workers.map((r, i) => {
    const inputs = plan.workers[i]?.spec.inputs;
    return {
      id: r.id,
      stage: r.stageName,
      role: r.role,
      lenses: r.lenses,
      sandbox: r.sandbox,
      webSearch: r.webSearch ?? null,
      model: r.model ?? null,
      reasoningEffort: r.reasoningEffort ?? null,
      cwd: r.cwd,
      promptBytes: r.promptBytes,
      promptTokens: estimateTokens(r.promptBytes),
      receives: inputs ? { stages: inputs.stages, into: inputs.into } : null,
      command: r.command,
    };
  });
}

/** `--dry-run`: the plan matrix and the exact command of each worker. */
export function dryRunText(plan: RunPlan): string {
  const records = plan.manifest.workers;
  const grows = (i: number): boolean => plan.workers[i]?.spec.inputs !== undefined;
  const rows = records.map((r, i) => [r.id, r.stageName, r.role, r.lenses.join(',') || '-', r.sandbox, r.model ?? '-', r.cwd, `${r.promptBytes} B${grows(i) ? '+' : ''}`, `~${estimateTokens(r.promptBytes)}${grows(i) ? '+' : ''}`].map(safeLine));
  const head = ['worker', 'stage', 'role', 'lenses', 'sandbox', 'model', 'cwd', 'prompt', 'tokens'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] as number)).join('  ').trimEnd();
  const commands = records.map((r) => `  ${safeLine(r.id)}: ${safeLine(shellQuote(r.command))} < ${safeLine(r.files.prompt)}`);
  const note = records.some((_, i) => grows(i)) ? ['', "+ the prompt grows by the earlier stages' final messages when its stage starts."] : [];
  return [line(head), ...rows.map(line), ...note, '', 'Commands (prompt on stdin):', ...commands, ''].join('\n');
}

/** Default folder of run records, relative to the current folder. */
export const runsDir = '.orch/runs';

/**
 * Parse a duration: `90` (seconds), `90s`, `5m`, `1500ms`. Returns milliseconds, or null when
 * the text is not a duration.
 */
export function parseDuration(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) return null;
  const value = Number(match[1]);
  const unit = match[2] ?? 's';
  return Math.round(value * ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as Record<string, number>)[unit]!);
}

/** A run id: UTC timestamp plus a random suffix, sortable by start time. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${Math.random().toString(16).slice(2, 8)}`;
}

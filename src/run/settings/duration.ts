const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parse a duration: `90` (seconds), `90s`, `5m`, `1500ms`, `2h`. Returns milliseconds (not yet
 * rounded: a bound check must see `0.4ms` as more than none), or null when the text is not a
 * duration.
 */
export function parseDuration(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) return null;
  return Number(match[1]) * (units[match[2] ?? 's'] as number);
}

/** The range a duration setting accepts; `0` may be allowed on its own as "off". */
export interface DurationRange {
  min: number;
  max: number;
  /** What `0` means when it is allowed below `min` (`none`, `off`). */
  zero?: string;
}

/** Default of the no-progress watchdog: as long as Codex's own limit for a silent model stream. */
export const defaultWatchdogMs = 5 * 60_000;

/**
 * The accepted range of each runner duration. Node timers hold at most 2^31 - 1 ms (24.8 days):
 * a longer one fires at once, so every upper bound stays well below that.
 */
export const durationRanges = {
  timeout: { min: 1000, max: 168 * 3_600_000, zero: 'none' },
  watchdog: { min: 1000, max: 24 * 3_600_000, zero: 'off' },
  grace: { min: 0, max: 3_600_000 },
  retryDelay: { min: 0, max: 3_600_000 },
  poll: { min: 1000, max: 600_000 },
} as const satisfies Record<string, DurationRange>;

/** Whether `ms` is in `range` (or is an allowed `0`). */
export function inRange(ms: number, range: DurationRange): boolean {
  return (ms === 0 && range.zero !== undefined) || (ms >= range.min && ms <= range.max);
}

/** A range for messages: `from 1s to 168h (or 0 for none)`, `at most 1h`. */
export function describeRange(range: DurationRange): string {
  const span = range.min === 0 ? `at most ${formatDuration(range.max)}` : `from ${formatDuration(range.min)} to ${formatDuration(range.max)}`;
  return `${span}${range.zero !== undefined ? ` (or 0 for ${range.zero})` : ''}`;
}

/** The shortest exact way to write a duration: `1s`, `168h`, `1500ms`. */
export function formatDuration(ms: number): string {
  for (const unit of ['h', 'm', 's'] as const) {
    const size = units[unit] as number;
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

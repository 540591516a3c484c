/** Default folder of run records, relative to the current folder. */
export const runsDir = '.orch/runs';

/** A run id: UTC timestamp plus a random suffix, sortable by start time. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${Math.random().toString(16).slice(2, 8)}`;
}

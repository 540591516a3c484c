import { durationRanges } from '../settings/duration.js';
import type { RunSettings } from '../settings/run-settings.js';
import type { Setting } from '../settings/setting.js';

/** Without `poll`, the first wait between two status reads. */
export const defaultCloudPollMs = 10_000;

/** The cloud executor's settings of a run. */
export interface CloudSettings {
  /** First wait between two status reads, in ms (it grows by half each time, up to a minute). */
  pollMs: number;
  /** Best-of-N attempts per task, unless a plan worker says otherwise. */
  attempts: number;
  /** The branch the cloud checks out, unless a plan worker says otherwise; absent: the current one. */
  branch?: string;
}

/** The cloud executor's run settings, declared once. */
export const cloudSettingsTable: readonly Setting[] = [
  { name: 'attempts', key: 'attempts', type: { kind: 'integer', min: 1, max: 4 }, default: 1, resume: false, value: 'N', description: 'Cloud workers: best-of-N attempts per task (1-4). Each attempt is a full cloud run.' },
  { name: 'branch', key: 'branch', type: { kind: 'text' }, resume: false, value: 'BRANCH', description: "Cloud workers: the branch the cloud checks out (default: the project's current branch)." },
  { name: 'poll', key: 'pollMs', type: { kind: 'duration', range: durationRanges.poll }, default: defaultCloudPollMs, resume: true, value: 'DURATION', description: 'Cloud workers: first wait between two `codex cloud status` reads (1s to 10m); it grows by half each time, up to 1m.' },
];

/** The cloud executor's settings of a run (each one was read and checked with its setting). */
export function cloudSettings(settings: RunSettings): CloudSettings {
  const own = settings.executors['cloud'] ?? {};
  const branch = own['branch'] as string | undefined;
  return { pollMs: (own['pollMs'] as number | undefined) ?? defaultCloudPollMs, attempts: (own['attempts'] as number | undefined) ?? 1, ...(branch !== undefined ? { branch } : {}) };
}

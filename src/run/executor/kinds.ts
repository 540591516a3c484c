import type { RecordKinds } from '../record/manifest-schema.js';
import { optionsSchema, settingsTable } from '../settings/run-settings.js';
import type { Setting } from '../settings/setting.js';
import type { Executor } from './executor.js';

/** What a set of executors makes of a run: its settings, and how its records are checked. */
export interface RunKinds extends RecordKinds {
  executors: readonly Executor[];
  /** Every run setting: the run's own, then each executor's. */
  settings: readonly Setting[];
}

const made = new WeakMap<readonly Executor[], RunKinds>();

/** The {@link RunKinds} of `executors`, made once per list. */
export function runKinds(executors: readonly Executor[]): RunKinds {
  let kinds = made.get(executors);
  if (kinds === undefined) {
    const settings = settingsTable(executors);
    kinds = { executors, settings, optionsSchema: optionsSchema(settings) };
    made.set(executors, kinds);
  }
  return kinds;
}

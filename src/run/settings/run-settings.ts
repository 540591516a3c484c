import type { PriceTable } from './prices.js';
import type { ReasoningEffort } from '../../templates/model.js';
import { reasoningEfforts } from '../../templates/frontmatter-schema.js';
import { durationRanges } from './duration.js';
import { settingSchema, type Budget, type Setting, type SettingValue } from './setting.js';

/** The settings an executor owns (see its `settings`), by their keys. */
export type ExecutorSettings = Record<string, SettingValue>;

/** How a run runs its workers: stored in the manifest, so that `runs resume` runs them alike. */
export interface RunSettings {
  /** The codex program (`--set codex-bin=PATH`, else `$CODEX_BIN`, else `codex` on PATH). */
  codexBin: string;
  /** `-m` for every worker, over a plan worker's `model` and a role's. */
  model?: string;
  /** Over every plan worker's and role's. */
  reasoningEffort?: ReasoningEffort;
  /** `read-only`: every worker, editing ones too (a sandbox is only ever narrowed). */
  sandbox?: 'read-only';
  /** Pass each role's output schema on and check every final message against it. */
  structured: boolean;
  /** Merge every result into one: by the synthesizer, or without a model under `structured`. */
  merge: boolean;
  maxParallel: number;
  /** Per worker, in ms (0: none). */
  timeoutMs: number;
  retries: number;
  /** First retry delay in ms, doubled on each retry. */
  retryDelayMs: number;
  failFast: boolean;
  /** What the run may spend: tokens, estimated dollars, or both. */
  budget?: Budget;
  /** The prices costs are estimated with (the built-in table, or it with a price file over it). */
  prices?: PriceTable;
  /** Where workers run unless a plan worker says otherwise: an executor's kind, with `:ARG` when given. */
  executor: string;
  /** The settings each executor owns, by its kind. */
  executors: Record<string, ExecutorSettings>;
}

/** The run's own settings (each executor adds its own; see `settingsTable`). */
export const coreSettings: readonly Setting[] = [
  { name: 'max-parallel', key: 'maxParallel', flag: true, type: { kind: 'integer', min: 1, max: 64 }, default: 4, resume: true, value: 'N', description: 'Workers running at once.' },
  { name: 'timeout', key: 'timeoutMs', flag: true, type: { kind: 'duration', range: durationRanges.timeout }, default: 0, resume: true, value: 'DURATION', description: "Per worker (90, 90s, 5m; 1s to 168h, 0 for none): then the worker's whole process tree is ended." },
  { name: 'retries', key: 'retries', flag: true, type: { kind: 'integer', min: 0, max: 10 }, default: 0, resume: true, value: 'N', description: 'Retry a worker that failed on a model or stream error, with backoff.' },
  { name: 'retry-delay', key: 'retryDelayMs', type: { kind: 'duration', range: durationRanges.retryDelay }, default: 2000, resume: true, value: 'DURATION', description: 'First wait before a retry (at most 1h), doubled on each retry.' },
  { name: 'fail-fast', key: 'failFast', flag: true, type: { kind: 'boolean' }, default: false, resume: true, description: 'Stop every worker as soon as one fails.' },
  { name: 'budget', key: 'budget', flag: true, type: { kind: 'budget' }, resume: true, value: 'LIMIT', description: 'What the run may spend: tokens (1500, input plus output) or estimated dollars ($2, at the price table); both when given twice. Once spent no new worker starts; once exceeded the running ones stop.' },
  { name: 'prices', key: 'pricesFile', type: { kind: 'text' }, resume: false, value: 'FILE', description: 'A price table (JSON, dollars per million tokens) over the built-in one. Default: .orch/prices.json when there is one.' },
  { name: 'model', key: 'model', flag: true, short: 'm', type: { kind: 'text' }, resume: false, value: 'MODEL', description: "codex -m for every worker (over a plan worker's `model` and a role's)." },
  { name: 'reasoning-effort', key: 'reasoningEffort', type: { kind: 'choice', choices: reasoningEfforts }, resume: false, value: 'LEVEL', description: "Codex's model_reasoning_effort for every worker (over a plan worker's and a role's)." },
  { name: 'sandbox', key: 'sandbox', flag: true, type: { kind: 'choice', choices: ['read-only'] }, resume: false, value: 'MODE', description: 'read-only: every worker, editing ones too, in the read-only sandbox (a sandbox is only ever narrowed).' },
  { name: 'structured', key: 'structured', flag: true, type: { kind: 'boolean' }, default: false, resume: false, description: "Pass each role's output schema to codex (--output-schema) and check every final message against it." },
  { name: 'merge', key: 'merge', flag: true, type: { kind: 'boolean' }, default: false, resume: false, description: 'Merge every result into one ranked, de-duplicated answer: by the synthesizer role, or, with --structured, without a model.' },
  { name: 'executor', key: 'executor', flag: true, type: { kind: 'text' }, default: 'local', resume: false, value: 'WHERE', description: 'Where workers run: an executor, with :ARG when it takes one. A plan worker may say `executor:` itself.' },
  { name: 'codex-bin', key: 'codexBin', type: { kind: 'text' }, default: 'codex', resume: true, value: 'PATH', description: 'The codex program. Default: $CODEX_BIN, else codex on PATH.' },
];

/** Every setting of a run: the run's own, then each executor's. */
export function settingsTable(executors: ReadonlyArray<{ kind: string; summary: string; settings: readonly Setting[] }>): Setting[] {
  // `executor` names the executors there are, each with what it does.
  const where = `Where workers run: ${executors.map((e) => `${e.kind}: ${e.summary}`).join('; ')}. A plan worker may say \`executor:\` itself.`;
  const own = coreSettings.map((s) => (s.name === 'executor' ? { ...s, description: where } : s));
  return [...own, ...executors.flatMap((e) => e.settings.map((s) => ({ ...s, owner: e.kind })))];
}

/** The settings of a run before anything is given: every default. */
export function defaultSettings(table: readonly Setting[]): RunSettings {
  const settings = { executors: {} } as unknown as RunSettings;
  for (const setting of table) if (setting.default !== undefined) setValue(settings, setting, setting.default, false);
  return settings;
}

/**
 * Set one setting (a list and a budget add to what is there when `add`; anything else is
 * replaced). The value was read with `readSetting`.
 */
export function setValue(settings: RunSettings, setting: Setting, value: SettingValue, add = true): void {
  const target: Record<string, unknown> = setting.owner === undefined ? (settings as unknown as Record<string, unknown>) : (settings.executors[setting.owner] ??= {});
  const old = target[setting.key];
  if (add && setting.type.kind === 'list' && Array.isArray(old)) target[setting.key] = [...(old as string[]), ...(value as string[])];
  else if (add && setting.type.kind === 'budget' && old !== undefined) target[setting.key] = { ...(old as Budget), ...(value as Budget) };
  else target[setting.key] = value;
}

/** The value a setting holds in `settings`, or undefined. */
export function valueOf(settings: RunSettings, setting: Setting): SettingValue | undefined {
  const source = setting.owner === undefined ? (settings as unknown as Record<string, unknown>) : settings.executors[setting.owner];
  return source?.[setting.key] as SettingValue | undefined;
}

/** The JSON Schema of the manifest's `options`: every setting of `table`, typed and bounded. */
export function optionsSchema(table: readonly Setting[]): object {
  const own = table.filter((s) => s.owner === undefined && s.key !== 'pricesFile');
  const owners = [...new Set(table.flatMap((s) => (s.owner === undefined ? [] : [s.owner])))];
  const ownerSchema = (owner: string): object => ({ type: 'object', properties: Object.fromEntries(table.filter((s) => s.owner === owner).map((s) => [s.key, settingSchema(s)])) });
  return {
    type: 'object',
    required: ['codexBin', 'structured', 'merge', 'maxParallel', 'timeoutMs', 'retries', 'retryDelayMs', 'failFast', 'executor', 'executors'],
    properties: {
      ...Object.fromEntries(own.map((s) => [s.key, settingSchema(s)])),
      prices: { type: 'object', required: ['date', 'source', 'models'], properties: { date: { type: 'string' }, source: { type: 'string' }, models: { type: 'object', maxProperties: 1000 } } },
      executors: { type: 'object', properties: Object.fromEntries(owners.map((o) => [o, ownerSchema(o)])) },
    },
  };
}

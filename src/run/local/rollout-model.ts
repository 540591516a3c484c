import { join } from 'node:path';
import { fileReadFailure, readTextBounded } from '../../fs/read-bounded.js';
import { walkFiles } from '../../fs/walk.js';
import { codexHome } from './codex-home.js';

/** Input of {@link rolloutModel}: which `codex exec` session to look up, and where. */
export interface RolloutModelInput {
  /** The session's thread id (`thread.started`): its rollout file's name ends with it. */
  threadId: string | null;
  /** The worker's environment: decides the Codex home (`CODEX_HOME`, else `~/.codex`). */
  env: Readonly<Record<string, string | undefined>>;
  /** When the attempt started and ended (ISO 8601): only the folders of those days are looked in. */
  startedAt: string;
  finishedAt: string;
}

/** Options of {@link rolloutModel}. */
export interface RolloutModelOptions {
  /** A larger rollout is not read (default 64 MB). */
  maxBytes?: number;
  /** Entries of one day folder to look at before giving up (default 20,000). */
  maxEntries?: number;
}

/** What {@link rolloutModel} found: the model, or why there is none (the same shape either way). */
export interface RolloutModel {
  /** The `model` of the session's last `turn_context` record; null when it cannot be told. */
  model: string | null;
  /** The rollout file read; null when none was found. */
  file: string | null;
  /** Why there is no model; null when there is one. */
  reason: string | null;
}

const defaultMaxBytes = 64 * 1024 * 1024;
// Codex names the day folder by its own local time; every time zone is within these hours of UTC.
const zoneHours = [-12, 0, 14];
const hourMs = 3_600_000;
// Codex's thread ids are UUIDs: an id with anything else (a slash, a dot) is not one of its sessions.
const threadIdPattern = /^[A-Za-z0-9-]{1,100}$/;

/**
 * The model a `codex exec` session actually used, read from the rollout Codex 0.169 writes for
 * it: `$CODEX_HOME/sessions/YYYY/MM/DD/rollout-<local time>-<thread id>.jsonl`, whose
 * `turn_context` records carry the model the turn ran with (after `config.toml`, the profile
 * and `-m`). Bounded: only the day folders the session can be in (the attempt's start and end
 * days, in any time zone) are listed, nothing below them is entered, and the file is read
 * within `maxBytes`, regular files only. Nothing here throws for a missing, unreadable or
 * unexpected rollout: the answer is then `model: null` with the reason.
 */
export function rolloutModel(input: RolloutModelInput, options: RolloutModelOptions = {}): RolloutModel {
  const none = (reason: string, file: string | null = null): RolloutModel => ({ model: null, file, reason });
  const { threadId } = input;
  if (threadId === null || !threadIdPattern.test(threadId)) return none('no thread id');
  const sessions = join(codexHome(input.env), 'sessions');
  const suffix = `-${threadId}.jsonl`;
  const found: string[] = [];
  for (const day of dayFolders(input.startedAt, input.finishedAt)) {
    const listed = walkFiles(join(sessions, day), { match: (name) => name.startsWith('rollout-') && name.endsWith(suffix), maxDepth: 0, maxEntries: options.maxEntries ?? 20_000 });
    found.push(...listed.files);
  }
  const file = found.sort().at(-1);
  if (file === undefined) return none(`no rollout of thread ${threadId} under ${sessions}`);
  let text: string;
  try {
    text = readTextBounded(file, { maxBytes: options.maxBytes ?? defaultMaxBytes, what: 'a Codex rollout' });
  } catch (error) {
    const failure = fileReadFailure(error);
    if (failure === undefined) throw error;
    return none(failure.reason, file);
  }
  const model = lastTurnModel(text);
  return model === null ? none('no turn_context with a model', file) : { model, file, reason: null };
}

/** `YYYY/MM/DD` of every day a session started in this span may be filed under, oldest first. */
function dayFolders(startedAt: string, finishedAt: string): string[] {
  const days = new Set<string>();
  for (const at of [Date.parse(startedAt), Date.parse(finishedAt)]) {
    if (Number.isNaN(at)) continue;
    for (const hours of zoneHours) {
      const day = new Date(at + hours * hourMs).toISOString().slice(0, 10);
      days.add(day.replaceAll('-', '/'));
    }
  }
  return [...days].sort();
}

/** The `model` of the last `turn_context` line; lines that are not JSON are passed over. */
function lastTurnModel(text: string): string | null {
  let model: string | null = null;
  for (const line of text.split('\n')) {
    // Most lines are long messages: only those that can be a turn context are parsed.
    if (!line.includes('"turn_context"')) continue;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      continue;
    }
    if (record === null || typeof record !== 'object' || (record as { type?: unknown }).type !== 'turn_context') continue;
    const payload = (record as { payload?: unknown }).payload;
    const value = payload !== null && typeof payload === 'object' ? (payload as { model?: unknown }).model : undefined;
    if (typeof value === 'string' && value.trim() !== '' && value.length <= 200) model = value;
  }
  return model;
}

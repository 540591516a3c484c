import type { CloudTaskState } from './model.js';
import { plain } from './cloud-cli.js';

/** A task id as the cloud gives it: it names files, so anything else is refused. */
const taskIdPattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,199}$/;

/**
 * The task `codex cloud exec` created: it prints the task's URL (`https://chatgpt.com/codex/
 * tasks/task_e_...`) on its last line; the id is the URL's last segment (as Codex itself reads a
 * task URL). Null when the output holds no usable task id.
 */
export function parseSubmitted(stdout: string): { id: string; url: string | null } | null {
  const last = plain(stdout).trim().split('\n').at(-1)?.trim() ?? '';
  const id = last.split('#')[0]?.split('?')[0]?.split('/').pop()?.trim() ?? '';
  if (!taskIdPattern.test(id)) return null;
  return { id, url: /^https?:\/\//.test(last) ? last : null };
}

/** Whether `id` is usable as a task id (and in a file name). */
export function isTaskId(id: string): boolean {
  return taskIdPattern.test(id);
}

/** What `codex cloud status` says: `[READY] title`, then a meta line and a diff summary. */
export interface StatusRead {
  state: CloudTaskState;
  /** The status line, the meta line and the summary line, as printed. */
  lines: string[];
}

const states: Record<string, CloudTaskState> = { PENDING: 'pending', READY: 'ready', APPLIED: 'applied', ERROR: 'error' };

/** Parse `codex cloud status` output; null when its first line is not `[STATE] title`. */
export function parseStatus(stdout: string): StatusRead | null {
  const lines = plain(stdout).split('\n').map((line) => line.trimEnd()).filter((line) => line.trim() !== '');
  const match = /^\[([A-Z]+)\]/.exec(lines[0] ?? '');
  const state = match ? states[match[1] as string] : undefined;
  return state === undefined ? null : { state, lines: lines.slice(0, 3) };
}

/** A state after which the task changes no more on its own. */
export function isTerminal(state: CloudTaskState): boolean {
  return state !== 'pending';
}

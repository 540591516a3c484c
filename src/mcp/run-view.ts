import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { summaryJson } from '../front/run-view.js';
import { finalMessageToPassOn, type Manifest } from '../run/index.js';
import { limits } from './limits.js';
import { fitView } from './view-size.js';

/**
 * A run as the tools return it: what `orch-prompt runs show RUN --format json` prints, with each
 * ended worker's final message, and what to do next. The final messages share a budget
 * (`limits.messageChars`): one longer than its share comes back cut, naming the file that holds
 * it whole; and the whole view is no larger than a call may return (see {@link fitView}).
 */
export function runView(runDir: string, manifest: Manifest, status: string, error: string | null = null): Record<string, unknown> {
  const summary = summaryJson(runDir, manifest, status, error);
  const rows = summary['workers'] as Array<Record<string, unknown>>;
  const ended = rows.filter((w) => w['lastMessage'] !== null).length;
  const share = Math.max(limits.minMessageChars, Math.floor(limits.messageChars / Math.max(1, ended)));
  const workers = rows.map((w) => ({ ...w, finalMessage: finalMessage(runDir, manifest, String(w['id']), share) }));
  return fitView({ ...summary, workers, hint: hintFor(manifest.id, runDir, status) }, join(runDir, 'manifest.json'));
}

/** Each worker's state as one comparable line: what a wait watches for a change. */
export function stateKey(manifest: Manifest, status: string): string {
  return [status, ...manifest.workers.map((w) => `${w.id}:${w.status}:${w.attempts.length}`)].join(' ');
}

/** Progress of a run: workers ended of all, and a line for people. */
export function progressOf(manifest: Manifest, status: string): { done: number; total: number; message: string } {
  const ended = manifest.workers.filter((w) => !['pending', 'running'].includes(w.status));
  const running = manifest.workers.filter((w) => w.status === 'running').map((w) => w.id);
  const message = `run ${manifest.id}: ${status}, ${ended.length}/${manifest.workers.length} workers ended${running.length > 0 ? `; running: ${running.join(', ')}` : ''}`;
  return { done: ended.length, total: manifest.workers.length, message };
}

function finalMessage(runDir: string, manifest: Manifest, id: string, maxChars: number): string | null {
  const worker = manifest.workers.find((w) => w.id === id);
  if (!worker || ['pending', 'running'].includes(worker.status) || !existsSync(join(runDir, worker.files.lastMessage))) return null;
  const text = finalMessageToPassOn(runDir, id);
  return text.length <= maxChars ? text : `${text.slice(0, maxChars)}\n\n(cut at ${maxChars} characters: the whole message is in ${join(runDir, worker.files.lastMessage)})`;
}

function hintFor(id: string, runDir: string, status: string): string {
  if (status === 'running') return `still running: call wait_run with run "${id}" to wait for its next change (or get_run to look now)`;
  if (status === 'succeeded') return 'done: every worker succeeded; their final messages are above';
  if (status === 'interrupted') return `the process that ran it stopped before it ended; outside the sandbox, \`orch-prompt runs resume ${runDir}\` runs again what did not finish`;
  return `not every worker succeeded (see each worker's error); start_run again, or, outside the sandbox, \`orch-prompt runs resume ${runDir}\``;
}

import type { Manifest, RunEvent, WorkerRecord } from '../../run/index.js';
import type { Output } from '../io.js';
import { safeLine } from './safe-line.js';

/** Receives a run's events and shows them. */
export interface Progress {
  update(event: RunEvent, manifest: Manifest): void;
  /** Final redraw; leaves the last frame on screen. */
  stop(): void;
}

const frames = ['-', '\\', '|', '/'];

/**
 * On a TTY: one live line per worker (state, elapsed time, last activity, tokens), redrawn in
 * place with log-update. Elsewhere (CI, pipes, agents reading the output): one plain line per
 * state change, so a log stays readable.
 */
export async function createProgress(out: Output, records: readonly WorkerRecord[]): Promise<Progress> {
  // A terminal reporting 0 rows (some pseudo-terminals) would get every line cut by log-update.
  if (out.isTTY !== true || (out as { rows?: number }).rows === 0) return lineProgress(out);
  const { createLogUpdate } = await import('log-update');
  const draw = createLogUpdate(out as unknown as NodeJS.WriteStream, { showCursor: false });
  const activity = new Map<string, string>();
  let tick = 0;
  const render = (): void => {
    tick++;
    const width = Math.max(...records.map((r) => r.id.length));
    const lines = records.map((r) => {
      const mark = r.status === 'running' ? frames[tick % frames.length] : r.status === 'succeeded' ? '✔' : r.status === 'pending' ? '·' : '✖';
      const elapsed = r.startedAt === null ? '' : `${((r.durationMs ?? Date.now() - Date.parse(r.startedAt)) / 1000).toFixed(0)}s`;
      const tokens = r.usage ? `${r.usage.input_tokens + r.usage.output_tokens} tok` : '';
      // Activity and errors come from the model and Codex: shown, never obeyed by the terminal.
      const what = safeLine(r.status === 'running' ? (activity.get(r.id) ?? '') : (r.error ?? ''));
      return `${mark} ${safeLine(r.id).padEnd(width)}  ${r.status.padEnd(9)} ${elapsed.padStart(5)}  ${tokens.padStart(9)}  ${what}`.slice(0, (out.columns ?? 100) - 1);
    });
    draw(lines.join('\n'));
  };
  const timer = setInterval(render, 250);
  timer.unref();
  return {
    update(event) {
      if (event.type === 'activity') activity.set(event.worker, event.text);
      else if (event.type === 'progress') activity.set(event.worker, event.activity);
    },
    stop() {
      clearInterval(timer);
      render();
      draw.done();
    },
  };
}

function lineProgress(out: Output): Progress {
  const last = new Map<string, string>();
  const show = (record: WorkerRecord): void => {
    const state = `${record.status} ${record.attempts.length}`;
    if (record.status === 'pending' || last.get(record.id) === state) return;
    last.set(record.id, state);
    const detail =
      record.status === 'running'
        ? record.attempts.length > 1
          ? ` (attempt ${record.attempts.length})`
          : ''
        : record.durationMs !== null
          ? ` in ${(record.durationMs / 1000).toFixed(1)}s${record.attempts.length > 1 ? ` (${record.attempts.length} attempts)` : ''}${record.error ? `: ${record.error}` : ''}`
          : record.error
            ? `: ${record.error}`
            : '';
    out.write(`${safeLine(record.id)}: ${record.status}${safeLine(detail)}\n`);
  };
  return {
    update(event, manifest) {
      // A state change shows once: the events of one worker, or every worker when the run ends.
      for (const record of manifest.workers) if (!('worker' in event) || event.worker === record.id) show(record);
    },
    stop() {},
  };
}

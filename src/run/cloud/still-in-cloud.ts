import type { Manifest } from '../record/model.js';
import type { CloudRecord } from './model.js';

/**
 * The Codex Cloud tasks of a run that were still pending when the runner stopped polling them
 * (Ctrl-C, a timeout): they keep running in the cloud, and may cost. One line each, then how to
 * see them and how to pick them up again.
 */
export function stillInCloudLines(manifest: Manifest, runDir: string): string[] {
  const pending = manifest.workers.flatMap((worker) => {
    if (worker.executor.kind !== 'cloud') return [];
    const task = (worker.executor as unknown as CloudRecord).tasks.at(-1);
    return task !== undefined && task.state === 'pending' && worker.status !== 'succeeded' ? [{ worker: worker.id, task }] : [];
  });
  if (pending.length === 0) return [];
  return [
    `${pending.length} Codex Cloud task${pending.length === 1 ? '' : 's'} still running (not stopped by orch-prompt):`,
    ...pending.map(({ worker, task }) => `  ${worker}: ${task.id}${task.url !== null ? ` ${task.url}` : ''}`),
    `see them with \`codex cloud status TASK_ID\` or \`codex cloud list\`; \`orch-prompt runs resume ${runDir}\` waits for them again without sending them twice`,
  ];
}

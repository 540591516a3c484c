import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../fs/write-atomic.js';
import type { CloudTaskRecord } from './model.js';

/** Diffs up to this size (all attempts together) are shown in the final message; larger ones are named. */
const maxInlineBytes = 256 * 1024;

/**
 * Write a cloud worker's final message. `codex cloud` prints no assistant text (only the status
 * and the diffs), so the message is what it does print: the task, its status lines, and each
 * attempt's diff (inline while small). Later stages receive it like any final message.
 */
export function writeCloudMessage(path: string, workerDir: string, task: CloudTaskRecord, statusLines: readonly string[]): void {
  const out = [`Codex Cloud task \`${task.id}\`${task.url !== null ? ` (${task.url})` : ''}`, '', ...statusLines.map((line) => `    ${line}`), ''];
  let budget = maxInlineBytes;
  for (const diff of task.diffs) {
    if (diff.file === null) {
      out.push(`Attempt ${diff.attempt}: no diff (${diff.error ?? 'unknown'})`, '');
      continue;
    }
    const text = readFileSync(join(workerDir, diff.file.split('/').pop() as string), 'utf8');
    const bytes = Buffer.byteLength(text);
    if (text.trim() === '') {
      out.push(`Attempt ${diff.attempt}: empty diff`, '');
    } else if (bytes <= budget) {
      budget -= bytes;
      const fence = '`'.repeat(Math.max(3, ...[...text.matchAll(/`+/g)].map((m) => m[0].length + 1)));
      out.push(`Attempt ${diff.attempt} (${diff.file}):`, '', `${fence}diff`, text.trimEnd(), fence, '');
    } else {
      out.push(`Attempt ${diff.attempt}: ${bytes} bytes, in ${diff.file}`, '');
    }
  }
  writeFileAtomic(path, `${out.join('\n').trimEnd()}\n`);
}

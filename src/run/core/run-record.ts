import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../fs/write-atomic.js';
import { diskErrorMessage, isDiskFull } from '../record/disk-error.js';
import { manifestFile, writeManifest } from '../record/manifest.js';
import type { Manifest } from '../record/model.js';
import { applyRunEvent, type RunEvent } from '../record/reducer.js';
import { reserveSpace, type SpaceReserve } from '../record/run-files.js';
import { openWorkerFolder } from '../record/worker-files.js';
import type { RunPlan } from '../plan/run-plan.js';
import type { RunStop } from './run-stop.js';

/**
 * The run's record on disk: the manifest, rewritten atomically (and sealed) when events change
 * it. The events of one turn of the event loop are written together, after it (eight workers
 * starting are one write, not thirty, and no write stands between one worker's start and the
 * next); the end of the run is written at once. When it cannot be written (a full disk), the run
 * stops, and the space set aside at the start lets the record say so once more.
 */
export class RunRecord {
  /** What failed the run as a whole (the record could not be written, a merge of nothing). */
  error: string | null = null;
  #reserve: SpaceReserve | undefined;
  #pending: NodeJS.Immediate | undefined;

  constructor(
    private readonly runDir: string,
    private readonly manifest: Manifest,
    private readonly key: Buffer | null,
    private readonly stop: RunStop,
  ) {}

  /** The folder, every prompt (so that a resumed run finds them all) and the first record. */
  begin(plan: RunPlan): void {
    try {
      mkdirSync(this.runDir, { recursive: true });
      this.#reserve = reserveSpace(this.runDir);
      if (!plan.resumed) for (const worker of plan.workers) writeFileAtomic(openWorkerFolder(this.runDir, worker.spec.id).prompt, worker.spec.prompt);
    } catch (error) {
      this.fail(diskErrorMessage(error, (error as NodeJS.ErrnoException).path ?? this.runDir));
    }
    this.save();
  }

  apply(event: RunEvent): void {
    const before = event.type === 'progress' ? progressOf(this.manifest, event.worker) : '';
    applyRunEvent(this.manifest, event);
    // Activity alone changes nothing recorded; progress, when its thread or tokens moved.
    if (event.type === 'activity' || (event.type === 'progress' && progressOf(this.manifest, event.worker) === before)) return;
    if (event.type === 'run-ended' || event.type === 'merged') this.save();
    else this.#pending ??= setImmediate(() => this.save());
  }

  fail(message: string): void {
    this.error ??= message;
    this.stop.stop({ kind: 'run-error', message: this.error });
  }

  /** Write the record now (what is pending included). */
  save(): void {
    clearImmediate(this.#pending);
    this.#pending = undefined;
    try {
      writeManifest(this.runDir, this.manifest, this.key);
    } catch (error) {
      this.fail(diskErrorMessage(error, join(this.runDir, manifestFile)));
      if (isDiskFull(error) && this.#reserve?.release() === true) this.save();
    }
  }

  /** Write what is pending and give back the space set aside; nothing is written after this. */
  close(): void {
    if (this.#pending !== undefined) this.save();
    this.#reserve?.release();
  }
}

function progressOf(manifest: Manifest, id: string): string {
  const worker = manifest.workers.find((w) => w.id === id);
  return `${worker?.threadId ?? ''}|${JSON.stringify(worker?.usage ?? null)}`;
}

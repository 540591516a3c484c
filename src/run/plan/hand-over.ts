import { join, resolve } from 'node:path';
import { UserError } from '../../errors/index.js';
import { readRunText } from '../record/run-files.js';
import type { RecordKinds } from '../record/manifest-schema.js';
import { effectiveStatus, readManifest } from '../record/manifest.js';
import { projectRunsDir } from '../record/run-id.js';
import { runDirNamed } from '../record/run-list.js';
import { finalMessageToPassOn } from '../record/worker-files.js';
import { receivedBlock } from './worker-prompt.js';

/** What a finished run hands to a worker of another run (`run ROLE --from RUN`, `from:` in a plan). */
export interface HandOver {
  /** The run's id. */
  run: string;
  /** The workers whose results are handed over (those that succeeded). */
  workers: string[];
  /** Their results, each under a heading naming the worker: the text a worker receives. */
  text: string;
}

/**
 * {@link handOver} for a run named as a user names it: a run id, a unique prefix of one (under
 * `cwd`'s `.orch/runs`), or a run folder.
 *
 * @throws {UserError} `usage` when no run or several match, and what {@link handOver} throws.
 */
export function handOverFrom(ref: string, cwd: string, where: string, kinds: RecordKinds): HandOver {
  return handOver(runDirNamed(projectRunsDir(cwd, where), resolve(cwd, ref), ref, where), where, kinds);
}

/**
 * The results of the finished run in `runDir`, for a worker of another run (a review feeding a
 * fix): the final message of every worker that succeeded, or, when the run was `--structured`,
 * its structured result as JSON. A run still running, or with nothing that succeeded, hands over
 * nothing and is refused; `where` names the request in messages.
 *
 * @throws {UserError} `manifest-invalid`, `run-still-running` or `nothing-to-hand-over`.
 */
export function handOver(runDir: string, where: string, kinds: RecordKinds): HandOver {
  const manifest = readManifest(runDir, kinds);
  if (manifest === null) throw new UserError('manifest-invalid', `${where}: ${runDir} has no manifest.json`);
  if (effectiveStatus(manifest, runDir) === 'running') throw new UserError('run-still-running', `${where}: run ${manifest.id} is still running; hand over its results once it has finished`);
  const done = manifest.workers.filter((w) => w.status === 'succeeded');
  if (done.length === 0) throw new UserError('nothing-to-hand-over', `${where}: no worker of run ${manifest.id} succeeded, so it has no results to hand over`);
  // A merged run's answer is its merge: the reviews it was made of would only say it again.
  const structuredMerge = manifest.options.merge && manifest.options.structured ? mergedFindings(runDir, manifest.merged) : null;
  if (structuredMerge !== null) return { run: manifest.id, workers: ['merge'], text: [`Results of run ${manifest.id}:`, `### merge (${manifest.workers.length} workers merged)`, structuredMerge].join('\n\n') };
  const synthesis = manifest.options.merge ? done.filter((w) => w.id === 'merge' && w.role === 'synthesizer') : [];
  const handed = synthesis.length > 0 ? synthesis : done;
  const blocks = handed.map((w) => {
    const text = finalMessageToPassOn(runDir, w.id);
    return receivedBlock(w, manifest.options.structured ? asStructured(text) : text);
  });
  return { run: manifest.id, workers: handed.map((w) => w.id), text: [`Results of run ${manifest.id}:`, ...blocks].join('\n\n') };
}

/** The findings of a structured merge (`merged.json`), as indented JSON; null when it merged nothing. */
function mergedFindings(runDir: string, merged: string | undefined): string | null {
  if (merged === undefined) return null;
  let data: { findings?: unknown; workers?: unknown[] };
  try {
    data = JSON.parse(readRunText(join(runDir, 'merged.json'), maxMergedBytes, 'a merged result')) as typeof data;
  } catch {
    return null;
  }
  if (!Array.isArray(data.workers) || data.workers.length === 0) return null;
  return JSON.stringify(data.findings ?? [], null, 2);
}

const maxMergedBytes = 16 * 1024 * 1024;

/** A structured result as indented JSON (the findings, exactly as the worker returned them). */
function asStructured(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

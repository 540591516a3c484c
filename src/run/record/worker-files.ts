import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { fileReadError, fileReadFailure } from '../../fs/read-bounded.js';
import { ensureRealFolder, readRunText } from './run-files.js';
import type { WorkerRecord } from './model.js';

/** Absolute paths of a worker's files. */
export interface WorkerPaths {
  dir: string;
  prompt: string;
  events: string;
  stderr: string;
  lastMessage: string;
  schema: string;
}

/** The files of a worker {@link readWorkerText} reads. */
export type WorkerFile = Exclude<keyof WorkerPaths, 'dir'>;

/**
 * The files of a worker, relative to the run folder: everything lives in a folder named after
 * the worker id (ids are lower-case words and dashes, so the folder is always inside the run).
 */
export function workerFiles(id: string): WorkerRecord['files'] {
  return { prompt: `${id}/prompt.md`, events: `${id}/events.jsonl`, stderr: `${id}/stderr.log`, lastMessage: `${id}/last-message.md` };
}

/** Absolute paths of a worker's files. */
export function workerPaths(runDir: string, id: string): WorkerPaths {
  const files = workerFiles(id);
  return {
    dir: join(runDir, id),
    prompt: join(runDir, files.prompt),
    events: join(runDir, files.events),
    stderr: join(runDir, files.stderr),
    lastMessage: join(runDir, files.lastMessage),
    schema: join(runDir, id, 'output-schema.json'),
  };
}

/**
 * A worker's folder, made when missing, with its paths. A link or a file in its place is refused
 * (ENOTDIR): what the worker writes never goes through a link to somewhere else.
 */
export function openWorkerFolder(runDir: string, id: string): WorkerPaths {
  const paths = workerPaths(runDir, id);
  ensureRealFolder(paths.dir);
  return paths;
}

/**
 * Read one of a worker's files, bounded, following no link: neither the file nor its worker
 * folder may be one.
 *
 * @throws {UserError} `file-unreadable` as readTextBounded, `not-regular` for a link.
 */
export function readWorkerText(runDir: string, id: string, file: WorkerFile, maxBytes: number, what: string): string {
  const paths = workerPaths(runDir, id);
  let folder;
  try {
    folder = lstatSync(paths.dir);
  } catch {
    throw fileReadError('not-found', paths[file], 'no such file (no worker folder)');
  }
  if (!folder.isDirectory()) throw fileReadError('not-regular', paths[file], `its worker folder ${paths.dir} is a link or a file, which is not followed here`);
  return readRunText(paths[file], maxBytes, what);
}

/** A final message passed on to another worker is read up to this size. */
const maxPassedOnBytes = 1024 * 1024;

/**
 * A worker's final message as another worker receives it (trimmed, read bounded), or a line
 * saying why there is none: a missing or unreadable file is said, never a failure of the run.
 */
export function finalMessageToPassOn(runDir: string, id: string): string {
  try {
    return readWorkerText(runDir, id, 'lastMessage', maxPassedOnBytes, 'a final message passed on').trim();
  } catch (error) {
    const failure = fileReadFailure(error);
    if (!failure) throw error;
    return `(no final message: ${failure.reason})`;
  }
}

/** The lines that open a later attempt in `events.jsonl` (a JSON event of its own) and `stderr.log`. */
export function attemptMarkers(attempt: { n: number; startedAt: string }): { events: string; stderr: string } {
  return {
    events: `${JSON.stringify({ type: 'orch.attempt', attempt: attempt.n, startedAt: attempt.startedAt })}\n`,
    stderr: `--- orch-prompt: attempt ${attempt.n}, started ${attempt.startedAt} ---\n`,
  };
}

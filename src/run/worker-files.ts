import { join } from 'node:path';
import { fileReadFailure, readTextBounded } from '../fs/read-bounded.js';
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

/** A final message passed on to another worker is read up to this size. */
const maxPassedOnBytes = 1024 * 1024;

/**
 * A worker's final message as another worker receives it (trimmed, read bounded), or a line
 * saying why there is none: a missing or unreadable file is said, never a failure of the run.
 */
export function finalMessageToPassOn(runDir: string, id: string): string {
  try {
    return readTextBounded(workerPaths(runDir, id).lastMessage, { maxBytes: maxPassedOnBytes, what: 'a final message passed on' }).trim();
  } catch (error) {
    const failure = fileReadFailure(error);
    if (!failure) throw error;
    return `(no final message: ${failure.reason})`;
  }
}

import { fileReadFailure } from '../../fs/read-bounded.js';
import { hasVisibleText } from '../../text/visible.js';
import type { StructuredCheck, WorkerSpec } from '../record/model.js';
import { readWorkerText } from '../record/worker-files.js';
import { checkStructured } from './structured.js';

/** Larger final messages are refused as not an answer (a model does not write 64 MB answers). */
const maxFinalMessageBytes = 64 * 1024 * 1024;

/** What checking a worker's result found: its failure, if any, and its structured check. */
export interface Verified {
  error: string | null;
  structured?: StructuredCheck;
}

/**
 * Prove a worker's success by its result, never by an exit code alone: a final message that
 * exists and shows something, and, with an output schema, one that matches it.
 */
export function verifyResult(runDir: string, spec: WorkerSpec): Verified {
  const missing = missingFinalMessage(runDir, spec.id);
  if (missing !== null) return { error: missing };
  if (!spec.outputSchema) return { error: null };
  const structured = checkStructured(runDir, spec.id, spec.outputSchema);
  if (structured.valid) return { error: null, structured };
  return { error: `final message does not match the output schema of \`${spec.role}\`: ${structured.errors.slice(0, 3).join('; ')}`, structured };
}

/** Why a worker that ended well has no final message, or null when it has one. */
function missingFinalMessage(runDir: string, id: string): string | null {
  let text: string;
  try {
    text = readWorkerText(runDir, id, 'lastMessage', maxFinalMessageBytes, 'a final message');
  } catch (error) {
    const failure = fileReadFailure(error);
    if (!failure) throw error;
    return failure.kind === 'not-found' ? 'no final message: codex exited 0 but wrote no last-message.md' : `no usable final message: ${(error as Error).message}`;
  }
  if (text.trim() === '') return 'no final message: codex exited 0 but last-message.md is empty';
  return hasVisibleText(text) ? null : 'no final message: codex exited 0 but last-message.md holds only invisible characters';
}

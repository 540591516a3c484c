import { spawn } from 'node:child_process';
import { onTestFinished } from 'vitest';

/**
 * Read a FIFO from another process (`cat`): writing into a FIFO blocks until it has a reader.
 * Resolves with what was read; the reader never outlives the test.
 */
export function readFifo(path: string): Promise<string> {
  const child = spawn('cat', [path], { stdio: ['ignore', 'pipe', 'inherit'] });
  onTestFinished(() => void child.kill());
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve) => child.on('close', () => resolve(out)));
}

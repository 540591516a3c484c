import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lazyStdio } from '../../src/cli/std-output.js';

const scratch = mkdtempSync(join(tmpdir(), 'orch-std-output-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A stand-in for `process.stdout`: records what is written through it. */
function fakeStream(): NodeJS.WriteStream & { written: string[] } {
  const written: string[] = [];
  return { written, isTTY: true, columns: 99, write: (chunk: string | Uint8Array) => written.push(Buffer.from(chunk).toString()) > 0 } as unknown as NodeJS.WriteStream & { written: string[] };
}

describe('standard output written before its stream exists', () => {
  it('writes text to the descriptor without creating the stream', () => {
    const file = join(scratch, 'plain.txt');
    const fd = openSync(file, 'w');
    let created = 0;
    const out = lazyStdio(fd, () => (created++, fakeStream()));
    out.write('CONTEXT: WORKER\n');
    out.write('é ✔\n');
    closeSync(fd);
    expect(readFileSync(file, 'utf8')).toBe('CONTEXT: WORKER\né ✔\n');
    expect(created).toBe(0);
  });

  it('creates the stream when asked anything else, and writes through it from then on', () => {
    const file = join(scratch, 'switch.txt');
    const fd = openSync(file, 'w');
    const stream = fakeStream();
    const out = lazyStdio(fd, () => stream);
    out.write('first\n');
    expect([out.isTTY, out.columns]).toEqual([true, 99]);
    out.write('second\n');
    closeSync(fd);
    expect(readFileSync(file, 'utf8')).toBe('first\n');
    expect(stream.written).toEqual(['second\n']);
  });

  it('hands a write the descriptor refuses to the stream', () => {
    const stream = fakeStream();
    const out = lazyStdio(-1, () => stream);
    out.write('to the stream\n');
    expect(stream.written).toEqual(['to the stream\n']);
  });
});

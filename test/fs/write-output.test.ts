import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, lstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, readlinkSync, readSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isUserError, type UserError } from '../../src/errors/index.js';
import { writeOutputFile } from '../../src/fs/write-output.js';
import { readFifo } from '../support/fifo.js';

const scratch = mkdtempSync(join(tmpdir(), 'orch-write-output-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const isRoot = process.getuid?.() === 0;

let n = 0;
function box(): string {
  const dir = join(scratch, String(++n));
  mkdirSync(dir);
  return dir;
}

/** The `file-unwritable` error, its `kind` as `code`. */
async function thrown(run: () => Promise<void>): Promise<{ code: unknown; message: string; error: UserError }> {
  try {
    await run();
  } catch (error) {
    if (isUserError(error, 'file-unwritable')) return { code: error.data?.['kind'], message: error.message, error };
    throw error;
  }
  throw new Error('expected a file-unwritable error');
}


describe('writeOutputFile', () => {
  it('creates a new path and leaves nothing beside it; a missing folder is refused, as a redirection refuses it', async () => {
    const dir = box();
    await writeOutputFile(join(dir, 'out.md'), 'new\n');
    expect(readFileSync(join(dir, 'out.md'), 'utf8')).toBe('new\n');
    expect(readdirSync(dir)).toEqual(['out.md']);
    const error = await thrown(() => writeOutputFile(join(dir, 'sub', 'out.md'), 'new\n'));
    expect([error.code, error.message]).toEqual(['bad-path', `cannot write \`${join(dir, 'sub', 'out.md')}\`: no such file or folder`]);
    expect(readdirSync(dir)).toEqual(['out.md']);
  });

  it('replaces a regular file atomically and keeps its mode (a 600 file stays 600)', async () => {
    const dir = box();
    const path = join(dir, 'secret.md');
    writeFileSync(path, 'old\n');
    chmodSync(path, 0o600);
    // A reader that opened the old file keeps reading the old text: the file was replaced, not rewritten in place.
    const reader = openSync(path, 'r');
    await writeOutputFile(path, 'new\n');
    const buffer = Buffer.alloc(16);
    const length = readSync(reader, buffer, 0, 16, 0);
    closeSync(reader);
    expect(buffer.subarray(0, length).toString()).toBe('old\n');
    expect(readFileSync(path, 'utf8')).toBe('new\n');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['secret.md']);
  });

  it('follows a symbolic link: the target is written (mode kept), the link stays a link', async () => {
    const dir = box();
    mkdirSync(join(dir, 'dotfiles'));
    writeFileSync(join(dir, 'dotfiles', 'prompt.md'), 'old\n', { mode: 0o640 });
    chmodSync(join(dir, 'dotfiles', 'prompt.md'), 0o640);
    symlinkSync('dotfiles/prompt.md', join(dir, 'second'));
    symlinkSync('second', join(dir, 'link.md'));
    await writeOutputFile(join(dir, 'link.md'), 'new\n');
    expect(lstatSync(join(dir, 'link.md')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'link.md'))).toBe('second');
    expect(readFileSync(join(dir, 'dotfiles', 'prompt.md'), 'utf8')).toBe('new\n');
    expect(statSync(join(dir, 'dotfiles', 'prompt.md')).mode & 0o777).toBe(0o640);
    expect(readdirSync(join(dir, 'dotfiles'))).toEqual(['prompt.md']);
  });

  it('a dangling link gets its target created; the link stays', async () => {
    const dir = box();
    symlinkSync('target.md', join(dir, 'link.md'));
    await writeOutputFile(join(dir, 'link.md'), 'new\n');
    expect(lstatSync(join(dir, 'link.md')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'target.md'), 'utf8')).toBe('new\n');
  });

  it('writes into a FIFO (the reader gets the text) and leaves it a FIFO', async () => {
    const dir = box();
    const fifo = join(dir, 'pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const received = readFifo(fifo);
    await writeOutputFile(fifo, 'through the pipe\n');
    expect(await received).toBe('through the pipe\n');
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(dir)).toEqual(['pipe']);
  });

  it('waits for a FIFO with no reader without blocking the process, and gives up when told to (Ctrl-C)', async () => {
    const dir = box();
    const fifo = join(dir, 'pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const controller = new AbortController();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 20);
    setTimeout(() => controller.abort(), 300);
    const error = await thrown(() => writeOutputFile(fifo, 'nobody reads\n', { signal: controller.signal }));
    clearInterval(timer);
    expect(error.message).toBe(`cannot write \`${fifo}\`: interrupted while waiting for a reader`);
    // The event loop ran while it waited: timers fired, so signals could be handled.
    expect(ticks).toBeGreaterThan(5);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it.runIf(isRoot)('writes into a character device node and leaves it a device', async () => {
    const dir = box();
    const device = join(dir, 'null');
    // The same device as /dev/null, made where a bug cannot harm the machine.
    expect(spawnSync('mknod', [device, 'c', '1', '3']).status).toBe(0);
    await writeOutputFile(device, 'gone\n');
    expect(lstatSync(device).isCharacterDevice()).toBe(true);
    expect(readdirSync(dir)).toEqual(['null']);
  });

  it('refuses a folder in one line, writing nothing', async () => {
    const dir = box();
    const error = await thrown(() => writeOutputFile(dir, 'x'));
    expect([error.code, error.message]).toEqual(['is-folder', `cannot write \`${dir}\`: it is a folder, expected a file`]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a file where a folder should be is one line', async () => {
    const dir = box();
    writeFileSync(join(dir, 'file'), 'x');
    const error = await thrown(() => writeOutputFile(join(dir, 'file', 'out.md'), 'x'));
    expect(error.message).toBe(`cannot write \`${join(dir, 'file', 'out.md')}\`: part of the path is a file, not a folder`);
    expect(readdirSync(dir)).toEqual(['file']);
  });

  // Root may write anything, so this can only be seen as another user.
  it.skipIf(isRoot)('refuses a read-only file, as a shell redirection would, and keeps it', async () => {
    const dir = box();
    const path = join(dir, 'locked.md');
    writeFileSync(path, 'keep\n');
    chmodSync(path, 0o444);
    expect((await thrown(() => writeOutputFile(path, 'new\n'))).message).toBe(`cannot write \`${path}\`: permission denied`);
    expect(readFileSync(path, 'utf8')).toBe('keep\n');
  });
});

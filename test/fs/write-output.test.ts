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
function thrown(run: () => void): { code: unknown; message: string; error: UserError } {
  try {
    run();
  } catch (error) {
    if (isUserError(error, 'file-unwritable')) return { code: error.data?.['kind'], message: error.message, error };
    throw error;
  }
  throw new Error('expected a file-unwritable error');
}


describe('writeOutputFile', () => {
  it('creates a new path, with its missing folders, and leaves nothing beside it', () => {
    const dir = box();
    writeOutputFile(join(dir, 'sub', 'out.md'), 'new\n');
    expect(readFileSync(join(dir, 'sub', 'out.md'), 'utf8')).toBe('new\n');
    expect(readdirSync(join(dir, 'sub'))).toEqual(['out.md']);
  });

  it('replaces a regular file atomically and keeps its mode (a 600 file stays 600)', () => {
    const dir = box();
    const path = join(dir, 'secret.md');
    writeFileSync(path, 'old\n');
    chmodSync(path, 0o600);
    // A reader that opened the old file keeps reading the old text: the file was replaced, not rewritten in place.
    const reader = openSync(path, 'r');
    writeOutputFile(path, 'new\n');
    const buffer = Buffer.alloc(16);
    const length = readSync(reader, buffer, 0, 16, 0);
    closeSync(reader);
    expect(buffer.subarray(0, length).toString()).toBe('old\n');
    expect(readFileSync(path, 'utf8')).toBe('new\n');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['secret.md']);
  });

  it('follows a symbolic link: the target is written (mode kept), the link stays a link', () => {
    const dir = box();
    mkdirSync(join(dir, 'dotfiles'));
    writeFileSync(join(dir, 'dotfiles', 'prompt.md'), 'old\n', { mode: 0o640 });
    chmodSync(join(dir, 'dotfiles', 'prompt.md'), 0o640);
    symlinkSync('dotfiles/prompt.md', join(dir, 'second'));
    symlinkSync('second', join(dir, 'link.md'));
    writeOutputFile(join(dir, 'link.md'), 'new\n');
    expect(lstatSync(join(dir, 'link.md')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'link.md'))).toBe('second');
    expect(readFileSync(join(dir, 'dotfiles', 'prompt.md'), 'utf8')).toBe('new\n');
    expect(statSync(join(dir, 'dotfiles', 'prompt.md')).mode & 0o777).toBe(0o640);
    expect(readdirSync(join(dir, 'dotfiles'))).toEqual(['prompt.md']);
  });

  it('a dangling link gets its target created; the link stays', () => {
    const dir = box();
    symlinkSync('target.md', join(dir, 'link.md'));
    writeOutputFile(join(dir, 'link.md'), 'new\n');
    expect(lstatSync(join(dir, 'link.md')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'target.md'), 'utf8')).toBe('new\n');
  });

  it('writes into a FIFO (the reader gets the text) and leaves it a FIFO', async () => {
    const dir = box();
    const fifo = join(dir, 'pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const received = readFifo(fifo);
    writeOutputFile(fifo, 'through the pipe\n');
    expect(await received).toBe('through the pipe\n');
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(dir)).toEqual(['pipe']);
  });

  it.runIf(isRoot)('writes into a character device node and leaves it a device', () => {
    const dir = box();
    const device = join(dir, 'null');
    // The same device as /dev/null, made where a bug cannot harm the machine.
    expect(spawnSync('mknod', [device, 'c', '1', '3']).status).toBe(0);
    writeOutputFile(device, 'gone\n');
    expect(lstatSync(device).isCharacterDevice()).toBe(true);
    expect(readdirSync(dir)).toEqual(['null']);
  });

  it('refuses a folder in one line, writing nothing', () => {
    const dir = box();
    const error = thrown(() => writeOutputFile(dir, 'x'));
    expect([error.code, error.message]).toEqual(['is-folder', `cannot write \`${dir}\`: it is a folder, expected a file`]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a file where a folder should be is one line', () => {
    const dir = box();
    writeFileSync(join(dir, 'file'), 'x');
    const error = thrown(() => writeOutputFile(join(dir, 'file', 'out.md'), 'x'));
    expect(error.message).toBe(`cannot write \`${join(dir, 'file', 'out.md')}\`: part of the path is a file, not a folder`);
    expect(readdirSync(dir)).toEqual(['file']);
  });

  // Root may write anything, so this can only be seen as another user.
  it.skipIf(isRoot)('refuses a read-only file, as a shell redirection would, and keeps it', () => {
    const dir = box();
    const path = join(dir, 'locked.md');
    writeFileSync(path, 'keep\n');
    chmodSync(path, 0o444);
    expect(thrown(() => writeOutputFile(path, 'new\n')).message).toBe(`cannot write \`${path}\`: permission denied`);
    expect(readFileSync(path, 'utf8')).toBe('keep\n');
  });
});

import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { rolloutModel } from '../../src/run/local/rollout-model.js';
import { tempDir } from './helpers.js';

// The model a codex session ran, read from its rollout: bounded, and never an error.

const thread = '01a20e55-ac3c-7b03-92b2-2145da3a6184';
const started = '2026-11-24T16:13:45.000Z';
const finished = '2026-11-24T16:13:50.000Z';

/** A rollout's lines as Codex 0.169 writes them (trimmed to the fields read). */
const line = (type: string, payload: Record<string, unknown>): string => JSON.stringify({ timestamp: started, type, payload });
const meta = line('session_meta', { id: thread, cli_version: '0.169.0', model_provider: 'mock' });
const context = (model: string): string => line('turn_context', { turn_id: 't', cwd: '/tmp', model, collaboration_mode: { mode: 'default', settings: { model } } });

/** A Codex home with one rollout in `day` (YYYY/MM/DD) holding `lines`; returns the home. */
function homeWith(lines: readonly string[], day = '2026/11/24', name = `rollout-2026-11-24T16-13-45-${thread}.jsonl`): { home: string; file: string } {
  const home = tempDir();
  const dir = join(home, 'sessions', day);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return { home, file };
}

const read = (home: string, options: Parameters<typeof rolloutModel>[1] = {}, threadId: string | null = thread) =>
  rolloutModel({ threadId, env: { CODEX_HOME: home }, startedAt: started, finishedAt: finished }, options);

describe('the model a session ran, from its rollout', () => {
  test('the last turn_context wins; lines that are not JSON, and other records naming a model, are passed over', () => {
    const { home, file } = homeWith([meta, context('first-model'), '{"type":"turn_context", "payload": {"model": "cut', 'not json at all', line('response_item', { type: 'message', model: 'not-this' }), context('gpt-5-codex'), line('event_msg', { type: 'task_complete' })]);
    expect(read(home)).toEqual({ model: 'gpt-5-codex', file, reason: null });
  });

  test('CODEX_HOME unset or blank: .codex in HOME', () => {
    const { home } = homeWith([meta, context('home-model')]);
    const homeDir = tempDir();
    cpSync(join(home, 'sessions'), join(homeDir, '.codex', 'sessions'), { recursive: true });
    expect(rolloutModel({ threadId: thread, env: { HOME: homeDir, CODEX_HOME: ' ' }, startedAt: started, finishedAt: finished }).model).toBe('home-model');
  });

  test("Codex files a session under its own local day: the UTC day before or after is looked in when a time zone can be on it, a day outside the attempt's is not", () => {
    const ahead = homeWith([meta, context('kiritimati')], '2026/11/25', `rollout-2026-11-25T06-13-45-${thread}.jsonl`);
    expect(read(ahead.home).model).toBe('kiritimati');
    // 03:00 UTC is 17:00 the day before in Honolulu (UTC-10).
    const behind = homeWith([meta, context('honolulu')], '2026/11/23', `rollout-2026-11-23T17-00-00-${thread}.jsonl`);
    expect(rolloutModel({ threadId: thread, env: { CODEX_HOME: behind.home }, startedAt: '2026-11-24T03:00:00.000Z', finishedAt: '2026-11-24T03:00:05.000Z' }).model).toBe('honolulu');
    expect(read(behind.home).model).toBeNull();
    const old = homeWith([meta, context('last-week')], '2026/11/17');
    expect(read(old.home)).toMatchObject({ model: null, file: null, reason: expect.stringMatching(/^no rollout of thread /) });
  });

  test('bounded: nothing below the day folder is entered, another thread is not read, an oversized file is not read', () => {
    const deeper = homeWith([meta, context('deep')], '2026/11/24/nested');
    expect(read(deeper.home)).toMatchObject({ model: null, file: null });
    const other = homeWith([meta, context('other')], '2026/11/24', 'rollout-2026-11-24T16-13-45-01a20e55-0000-0000-0000-000000000000.jsonl');
    expect(read(other.home)).toMatchObject({ model: null, file: null });
    const big = homeWith([meta, context('big'), 'x'.repeat(4096)]);
    expect(read(big.home, { maxBytes: 1024 })).toEqual({ model: null, file: big.file, reason: 'it is 4 KB, over the 1 KB a Codex rollout may have' });
    expect(read(big.home).model).toBe('big');
  });

  test('no model, never an error: missing folders, no turn_context, a folder or a FIFO in place of the file, no thread id', () => {
    expect(read(join(tempDir(), 'missing'))).toMatchObject({ model: null, file: null, reason: expect.stringMatching(/^no rollout of thread /) });
    const garbage = homeWith([meta, 'garbage', '{"type":"turn_context"', line('turn_context', { model: 42 }), line('turn_context', { model: '' })]);
    expect(read(garbage.home)).toEqual({ model: null, file: garbage.file, reason: 'no turn_context with a model' });
    const binary = homeWith([meta, context('hidden'), '\u0000']);
    expect(read(binary.home)).toMatchObject({ model: null, file: binary.file, reason: expect.stringContaining('binary') });
    const folder = homeWith([]);
    const dir = join(folder.home, 'sessions/2026/11/24', `rollout-2026-11-24T16-13-46-${thread}.jsonl`);
    mkdirSync(dir);
    expect(read(folder.home).file).toBe(folder.file);
    const fifo = tempDir();
    mkdirSync(join(fifo, 'sessions/2026/11/24'), { recursive: true });
    execFileSync('mkfifo', [join(fifo, 'sessions/2026/11/24', `rollout-2026-11-24T16-13-45-${thread}.jsonl`)]);
    expect(read(fifo)).toMatchObject({ model: null, file: null });
    const { home } = homeWith([meta, context('m')]);
    expect(read(home, {}, null)).toEqual({ model: null, file: null, reason: 'no thread id' });
    expect(read(home, {}, '../../x')).toEqual({ model: null, file: null, reason: 'no thread id' });
    expect(rolloutModel({ threadId: thread, env: { CODEX_HOME: home }, startedAt: 'garbage', finishedAt: 'garbage' })).toMatchObject({ model: null, file: null });
  });
});

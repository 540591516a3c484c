import { PassThrough, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, test } from 'vitest';
import { codexArgs, sandboxFor } from '../../src/run/codex-args.js';
import { EventTap } from '../../src/run/event-tap.js';
import { applyEvent, initialEventState } from '../../src/run/events.js';
import type { RunSettings, WorkerSpec } from '../../src/run/model.js';
import { pathsOverlap } from '../../src/run/overlap.js';
import { parseDuration } from '../../src/run/duration.js';

const settings: RunSettings = { codexBin: 'codex', config: [], yolo: false, structured: false, merge: false, maxParallel: 4, timeoutMs: 0, watchdogMs: 0, retries: 0, retryDelayMs: 2000, graceMs: 5000, failFast: false };
const spec: WorkerSpec = { id: 'w', stage: 0, stageName: 'main', role: 'reviewer', lenses: [], prompt: 'p', edits: false, paths: ['.'], cwd: '/repo', inGitRepo: true };
const paths = { lastMessage: '/run/w/last-message.md', schema: '/run/w/output-schema.json' };

describe('codex command line', () => {
  test('a read-only role gets --sandbox read-only and the prompt on stdin', () => {
    expect(codexArgs(spec, settings, paths)).toEqual(['exec', '--json', '-o', '/run/w/last-message.md', '--sandbox', 'read-only', '-C', '/repo', '-']);
  });

  test('an editing role gets workspace-write; pass-through flags become codex flags', () => {
    const args = codexArgs({ ...spec, edits: true, inGitRepo: false }, { ...settings, model: 'o3', profile: 'fast', config: ['a=1', 'b="x"'] }, paths);
    expect(args.join(' ')).toBe('exec --json -o /run/w/last-message.md --sandbox workspace-write -C /repo --skip-git-repo-check -m o3 -p fast -c a=1 -c b="x" -');
  });

  test('only --yolo turns the sandbox off', () => {
    expect(codexArgs(spec, { ...settings, yolo: true }, paths)).toContain('--dangerously-bypass-approvals-and-sandbox');
    expect(codexArgs(spec, { ...settings, yolo: true }, paths)).not.toContain('--sandbox');
    expect(sandboxFor(spec, settings)).toBe('read-only');
  });

  test('--structured passes the role schema only when the role has one', () => {
    expect(codexArgs({ ...spec, outputSchema: { type: 'object' } }, { ...settings, structured: true }, paths)).toContain('--output-schema');
    expect(codexArgs(spec, { ...settings, structured: true }, paths)).not.toContain('--output-schema');
  });
});

describe('event stream', () => {
  test('lines split across chunks are parsed once, bytes pass through unchanged', async () => {
    const events: Array<Record<string, unknown>> = [];
    const source = new PassThrough();
    let copied = '';
    const sink = new Writable({
      write(chunk: Buffer, _e, cb) {
        copied += chunk.toString();
        cb();
      },
    });
    const done = pipeline(source, new EventTap((e) => events.push(e)), sink);
    const text = '{"type":"thread.started","thread_id":"t1"}\nnot json\n{"type":"turn.comp';
    source.write(text);
    source.end('leted","usage":{"input_tokens":5,"output_tokens":2}}');
    await done;
    expect(copied).toBe(`${text}leted","usage":{"input_tokens":5,"output_tokens":2}}`);
    expect(events.map((e) => e['type'])).toEqual(['thread.started', 'turn.completed']);
  });

  test('a multi-byte character split between chunks survives', async () => {
    const events: Array<Record<string, unknown>> = [];
    const source = new PassThrough();
    const done = pipeline(source, new EventTap((e) => events.push(e)), new Writable({ write: (_c, _e, cb) => cb() }));
    const line = Buffer.from('{"type":"error","message":"é"}\n');
    source.write(line.subarray(0, 28));
    source.end(line.subarray(28));
    await done;
    expect(events).toEqual([{ type: 'error', message: 'é' }]);
  });

  test('state: thread id, usage, failure text and activity', () => {
    const state = initialEventState();
    expect(applyEvent(state, { type: 'thread.started', thread_id: 'abc' })).toBe(true);
    expect(applyEvent(state, { type: 'item.started', item: { type: 'command_execution', command: 'npm test' } })).toBe(false);
    expect(state.activity).toBe('running npm test');
    applyEvent(state, { type: 'turn.completed', usage: { input_tokens: 10, cached_input_tokens: 2, output_tokens: 3 } });
    applyEvent(state, { type: 'error', message: 'Reconnecting... waiting for network' });
    expect(state.activity).toBe('Reconnecting... waiting for network');
    applyEvent(state, { type: 'turn.failed', error: { message: 'stream disconnected before completion' } });
    expect(state).toMatchObject({ threadId: 'abc', usage: { input_tokens: 10, cached_input_tokens: 2, output_tokens: 3 }, turnFailed: true, error: 'stream disconnected before completion' });
  });
});

describe('helpers', () => {
  test('editing paths overlap when one contains the other', () => {
    expect(pathsOverlap({ cwd: '/r', paths: ['src'] }, { cwd: '/r', paths: ['src/cli'] })).toBe(true);
    expect(pathsOverlap({ cwd: '/r', paths: ['src/cli'] }, { cwd: '/r', paths: ['src/run'] })).toBe(false);
    expect(pathsOverlap({ cwd: '/r', paths: ['.'] }, { cwd: '/r/docs', paths: ['.'] })).toBe(true);
    expect(pathsOverlap({ cwd: '/r', paths: ['src'] }, { cwd: '/r', paths: ['src-old'] })).toBe(false);
  });

  test('durations', () => {
    expect([parseDuration('90'), parseDuration('90s'), parseDuration('5m'), parseDuration('1500ms'), parseDuration('soon')]).toEqual([90_000, 90_000, 300_000, 1500, null]);
  });
});

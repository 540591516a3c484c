import { PassThrough, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import { codexArgs, sandboxFor, subAgentFeatures } from '../../src/run/local/codex-args.js';
import { commandStartsWorkers, guardViolation } from '../../src/run/local/guard.js';
import { codexBin } from '../support/mock-model.js';
import { EventTap } from '../../src/run/local/event-tap.js';
import { applyEvent, initialEventState } from '../../src/run/local/events.js';
import { defaultSettings, executors, runKinds, type RunSettings, type SettingValue, type WorkerSpec } from '../../src/run/index.js';
import { pathsOverlap } from '../../src/run/plan/overlap.js';
import { gitReason } from '../../src/run/git/git.js';
import { parseDuration } from '../../src/run/settings/duration.js';

const settings: RunSettings = defaultSettings(runKinds(executors).settings);
const local = (config: Record<string, SettingValue>): RunSettings => ({ ...settings, executors: { ...settings.executors, local: { ...settings.executors['local'], ...config } } });
const spec: WorkerSpec = { id: 'w', stage: 0, stageName: 'main', role: 'reviewer', lenses: [], prompt: 'p', edits: false, paths: ['.'], cwd: '/repo', sandbox: 'read-only', executor: { kind: 'local', config: { inGitRepo: true } } };
const paths = { lastMessage: '/run/w/last-message.md', schema: '/run/w/output-schema.json' };

describe('codex command line', () => {
  test('a read-only role gets --sandbox read-only and the prompt on stdin', () => {
    expect(codexArgs(spec, settings, paths)).toEqual(['exec', '--json', '-o', '/run/w/last-message.md', '--sandbox', 'read-only', '--disable', 'multi_agent', '--disable', 'multi_agent_v2', '-C', '/repo', '-']);
  });

  test('an editing role gets workspace-write; its model and effort and the pass-through flags become codex flags', () => {
    const args = codexArgs({ ...spec, edits: true, sandbox: 'workspace-write', model: 'o3', reasoningEffort: 'high', executor: { kind: 'local', config: { inGitRepo: false } } }, local({ profile: 'fast', config: ['a=1', 'b="x"'] }), paths);
    expect(args.join(' ')).toBe('exec --json -o /run/w/last-message.md --sandbox workspace-write --disable multi_agent --disable multi_agent_v2 -C /repo --skip-git-repo-check -m o3 -p fast -c model_reasoning_effort="high" -c a=1 -c b="x" -');
  });

  test('only --yolo turns the sandbox off', () => {
    expect(codexArgs(spec, local({ yolo: true }), paths)).toContain('--dangerously-bypass-approvals-and-sandbox');
    expect(codexArgs(spec, local({ yolo: true }), paths)).not.toContain('--sandbox');
    expect(sandboxFor(spec, settings)).toBe('read-only');
  });

  test('--structured passes the role schema only when the role has one', () => {
    expect(codexArgs({ ...spec, outputSchema: { type: 'object' } }, { ...settings, structured: true }, paths)).toContain('--output-schema');
    expect(codexArgs(spec, { ...settings, structured: true }, paths)).not.toContain('--output-schema');
  });
});

describe('recursion guard', () => {
  test('the sub-agent features workers run without are named so by the pinned codex (an upgrade that renames them fails here)', () => {
    const listed = execFileSync(codexBin, ['features', 'list'], { encoding: 'utf8' })
      .split('\n')
      .map((line) => line.split(/\s+/)[0]);
    for (const feature of subAgentFeatures) expect(listed).toContain(feature);
    const args = codexArgs(spec, settings, paths);
    for (const feature of subAgentFeatures) expect(args.join(' ')).toContain(`--disable ${feature}`);
  });

  test.each([
    ['codex exec -', true],
    ["/bin/bash -lc 'codex exec --json -'", true],
    ['bash -lc "cd src && npx codex exec review"', true],
    ['env FOO=1 timeout 30 /usr/local/bin/codex', true],
    ['npm exec codex -- exec -', true],
    ['echo hi | codex exec -', true],
    ['node skills/codex-orchestration/scripts/orch-prompt.mjs run reviewer --each-lens risks', true],
    ['orch-prompt run --plan p.yaml', true],
    ["bash -lc 'rg -n codex src/'", false],
    ['cat docs/codex.md', false],
    ['orch-prompt reviewer --lens risks --artefact src/', false],
    ['git log --grep codex', false],
    // Only what starts a session (or the runner's workers) counts; asking a tool about itself does not.
    ['codex --version', false],
    ['codex exec --help', false],
    ["bash -lc 'codex -c model=o3 features list'", false],
    ['codex login status', false],
    ['codex cloud list --json', false],
    ['codex sandbox -- ls', false],
    ['codex cloud exec --env E -', true],
    ['codex review', true],
    ['codex -m o3 "fix the build"', true],
    ['codex resume --last', true],
    ['orch-prompt run --help', false],
    ['orch-prompt run reviewer --each-lens risks,security --dry-run', false],
  ])('a command that starts workers: %s -> %s', (command, starts) => {
    expect(commandStartsWorkers(command)).toBe(starts);
  });

  test('violations: a sub-agent, a nested codex, a read-only role editing', () => {
    expect(guardViolation({ type: 'item.started', item: { type: 'collab_tool_call', tool: 'spawn_agent' } }, { edits: true })).toEqual({ kind: 'sub-agent', detail: 'started a sub-agent (spawn_agent)' });
    expect(guardViolation({ type: 'item.started', item: { type: 'command_execution', command: 'codex exec -' } }, { edits: true })?.kind).toBe('nested-codex');
    const change = { type: 'item.completed', item: { type: 'file_change', changes: [{ path: 'a.ts', kind: 'update' }] } };
    expect(guardViolation(change, { edits: false })).toEqual({ kind: 'read-only-edit', detail: 'changed files (a.ts) although its role is read-only' });
    expect(guardViolation(change, { edits: true })).toBeNull();
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

describe('gitReason', () => {
  test("names git's fatal line, not the progress line printed before it", () => {
    const stderr = "Preparing worktree (detached HEAD afccb09)\nfatal: could not create leading directories of '.git/worktrees/wt': Read-only file system\n";
    expect(gitReason({ ok: false, exitCode: 128, stdout: '', stderr })).toBe("could not create leading directories of '.git/worktrees/wt': Read-only file system");
    expect(gitReason({ ok: false, exitCode: 1, stdout: '', stderr: 'just one line\n' })).toBe('just one line');
    expect(gitReason({ ok: false, exitCode: 3, stdout: '', stderr: '' })).toBe('git exited with 3');
  });
});

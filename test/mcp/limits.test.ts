import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { limits } from '../../src/mcp/limits.js';
import { fitView } from '../../src/mcp/view-size.js';
import { fakeCodex, killWhenDone, tempDir } from '../run/helpers.js';
import { call, connect, project, workersOf } from './support.js';

// A model calls these tools without a person approving each call: nothing it asks for grows
// without bound. Workers are the fake codex.

const fake = { CODEX_BIN: fakeCodex };
const scout = (n = 0) => ({ id: `scout-${n}`, role: 'scout', params: { target: 'x' } });

describe('what a request may ask for', () => {
  it('a plan larger than a plan file may be is refused before anything is read of it', async () => {
    const { client } = await connect(project(tempDir()), fake);
    const { error } = await call(client, 'start_run', { workers: [{ ...scout(), task: 'x'.repeat(limits.planBytes) }] });
    expect(error).toMatchObject({ code: 'plan-invalid', message: 'start_run: the plan is 1.0 MB as JSON, more than a plan may be (1.0 MB)' });
  });

  it('at most 64 workers in one run, over all its stages', async () => {
    const { client } = await connect(project(tempDir()), fake);
    const stages = [0, 1].map((s) => ({ name: `s${s}`, workers: Array.from({ length: 33 }, (_, i) => scout(s * 100 + i)) }));
    const { error } = await call(client, 'start_run', { stages });
    expect(error).toMatchObject({ code: 'mcp-refused', message: 'start_run: the plan has 66 workers, more than this server runs in one run (64); split it into several runs' });
    expect((await call(client, 'list_runs', {})).result['total']).toBe(0);
  });

  it('at most 4 runs running at once: a fifth waits until one ends', async () => {
    const dir = project(tempDir());
    const pids = join(dir, 'pids');
    killWhenDone(undefined, pids);
    const { client } = await connect(dir, { ...fake, FAKE_CODEX_MODE: 'hang', FAKE_CODEX_PIDS: pids });
    const ids: string[] = [];
    for (let i = 0; i < limits.runningRuns; i++) ids.push(String((await call(client, 'start_run', { workers: [scout()], settings: { grace: '1s' } })).result['id']));
    const fifth = await call(client, 'start_run', { workers: [scout()] });
    expect(fifth.error).toMatchObject({ code: 'mcp-refused', message: expect.stringMatching(/^start_run: this server already runs 4 runs, the most it runs at once; wait for one to end \(wait_run\) or stop one \(cancel_run\)/) });
    expect((await call(client, 'cancel_run', { run: ids[0] as string })).result['status']).toBe('canceled');
    expect((await call(client, 'start_run', { workers: [scout()] })).result['status']).toBe('running');
  });
});

describe('what the server keeps and returns', () => {
  it('lets go of ended runs but the last few: they are read back from their folders', async () => {
    const dir = project(tempDir());
    // Two kept instead of 16, to start fewer runs.
    const { client, context } = await connect(dir, fake, { endedRunsKept: 2 });
    const dirs: string[] = [];
    for (let i = 0; i < 3; i++) dirs.push(String((await call(client, 'start_run', { workers: [scout()], wait_seconds: 30 })).result['runDir']));
    expect(dirs.map((d) => context.runs.get(d) !== undefined)).toEqual([false, true, true]);
    expect((await call(client, 'get_run', { run: String(dirs[0]).split('/').at(-1) as string })).result).toMatchObject({ status: 'succeeded', workers: [{ finalMessage: expect.stringMatching(/^done/) }] });
  });

  it('final messages share what one call returns: each cut to its share, naming the file that holds it whole', async () => {
    const dir = project(tempDir());
    const { client } = await connect(dir, { ...fake, FAKE_CODEX_TEXT: 'y'.repeat(60_000) });
    const { result } = await call(client, 'start_run', { workers: [scout(1), scout(2), scout(3)], wait_seconds: 30 });
    const share = Math.floor(limits.messageChars / 3);
    for (const w of workersOf(result)) expect(w.finalMessage).toBe(`${'y'.repeat(share)}\n\n(cut at ${share} characters: the whole message is in ${join(String(result['runDir']), w.id, 'last-message.md')})`);
    expect(JSON.stringify(result).length).toBeLessThan(limits.messageChars + 20_000);
  });

  it('a run view is never larger than a call may return, whatever its record holds', () => {
    const worker = (i: number) => ({ id: `w${i}`, status: 'failed', finalMessage: 'z'.repeat(limits.minMessageChars), lastMessage: `/runs/r/w${i}/last-message.md`, error: 'e'.repeat(50_000), attempts: [{ n: 1, error: 'e'.repeat(50_000) }] });
    const few = fitView({ id: 'r', status: 'failed', workers: Array.from({ length: 5 }, (_, i) => worker(i)) }, '/runs/r/manifest.json');
    expect(JSON.stringify(few).length).toBeLessThanOrEqual(limits.viewChars);
    expect((few['workers'] as Array<{ error: string }>)[0]?.error).toBe(`${'e'.repeat(1000)} ... (cut: the whole text is in /runs/r/manifest.json)`);
    const many = fitView({ id: 'r', status: 'failed', workers: Array.from({ length: 1000 }, (_, i) => worker(i)) }, '/runs/r/manifest.json');
    expect(JSON.stringify(many).length).toBeLessThanOrEqual(limits.viewChars);
    expect((many['workers'] as unknown[]).at(-1)).toEqual({ id: 'w999', status: 'failed', finalMessage: null, cut: 'too much to return in one call: see /runs/r/manifest.json and /runs/r/w999/last-message.md' });
  });
});

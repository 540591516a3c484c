import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { expect, it, onTestFinished } from 'vitest';
import { binPath } from '../support/cli.js';
import { fakeCodex, killWhenDone, liveFrom, pidsIn, tempDir } from '../run/helpers.js';
import { project } from './support.js';

// `orch-prompt mcp` as Codex runs it: a process speaking MCP on stdio, driven by the SDK's
// client. One server is stopped (stdin closed, as Codex does) while its run is still working, and
// a new one reads the run back.

const version = (JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string }).version;

async function serve(dir: string, env: Record<string, string>) {
  let stderr = '';
  const transport = new StdioClientTransport({ command: process.execPath, args: [binPath, 'mcp'], cwd: dir, env: { ...(process.env as Record<string, string>), CODEX_BIN: fakeCodex, ...env }, stderr: 'pipe' });
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const client = new Client({ name: 'test', version: '1' });
  await client.connect(transport);
  const exited = new Promise<number | null>((resolve) => (transport as unknown as { _process: { once(e: string, f: (code: number | null) => void): void } })._process.once('exit', resolve));
  onTestFinished(() => client.close());
  const call = async (name: string, args: Record<string, unknown>) => {
    const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
    const text = result.content.find((c) => c.type === 'text')?.text ?? '';
    return JSON.parse(text) as Record<string, unknown> & { error?: { code: string; message: string } };
  };
  return { client, call, exited, stderr: () => stderr, pid: transport.pid };
}

it('serves over stdio; stopping it cancels its runs, and a new server reads them back', { timeout: 60_000 }, async () => {
  const dir = project(tempDir());
  const pids = join(dir, 'pids');
  killWhenDone(undefined, pids);
  const first = await serve(dir, { FAKE_CODEX_MODE: 'hang', FAKE_CODEX_PIDS: pids });
  expect(first.client.getServerVersion()).toMatchObject({ name: 'orch-prompt', version });
  expect(first.client.getInstructions()).toMatch(/start_run starts codex exec workers/);
  expect((await first.client.listTools()).tools).toHaveLength(8);
  // A bad call is an error result; the server stays up.
  expect((await first.call('render_prompt', { role: 'reviewer', lenses: ['rsks'], params: { artefact: 'x' } })).error?.code).toBe('unknown-lens');
  const started = await first.call('start_run', { workers: [{ role: 'scout', params: { target: 'x' } }] });
  expect(started).toMatchObject({ status: 'running' });
  const id = String(started['id']);
  // The worker is running once the fake codex has written its pid.
  while (!existsSync(pids) || pidsIn(pids).length === 0) await new Promise((r) => setTimeout(r, 100));
  // Codex closes the server's stdin when its session ends: the run is canceled, its workers end.
  await first.client.close();
  expect(await first.exited).toBe(0);
  expect(first.stderr()).toContain('orch-prompt: mcp: stopping: canceling 1 run it started');
  expect(liveFrom(pids)).toEqual([]);
  const second = await serve(dir, {});
  expect(await second.call('get_run', { run: id })).toMatchObject({ id, status: 'canceled', workers: [{ id: 'main-scout', status: 'canceled', finalMessage: null }] });
  expect(await second.call('list_runs', {})).toMatchObject({ total: 1, runs: [{ id, status: 'canceled' }] });
  expect(second.stderr()).toBe('');
});

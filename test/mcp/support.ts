import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { onTestFinished } from 'vitest';
import { createMcpServer, serverContext, type ServerContext } from '../../src/mcp/index.js';
import { RunRegistry } from '../../src/mcp/registry.js';

/**
 * An SDK client connected in-process to a server serving `root` (stopped, with its runs, when
 * the test ends); `keep` changes how many ended runs it holds.
 */
export async function connect(root: string, env: Record<string, string | undefined> = {}, keep?: { endedRunsKept: number }): Promise<{ client: Client; context: ServerContext }> {
  const context = serverContext(root, { ...process.env, ...env });
  if (keep) context.runs = new RunRegistry(context.env, keep.endedRunsKept);
  const server = createMcpServer(context, '0.0.0-test');
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'test', version: '1' });
  await client.connect(clientSide);
  onTestFinished(async () => {
    await context.runs.stopAll(true);
    await client.close();
    await server.close();
  });
  return { client, context };
}

/** What a tool call returned: its structured result, or its error (code and message). */
export interface Called {
  result: Record<string, unknown>;
  error: { code: string; message: string; [key: string]: unknown } | undefined;
}

/** Call a tool and read what it returned (an error's JSON line, or the structured result). */
export async function call(client: Client, name: string, args: Record<string, unknown>, options: { onprogress?: (p: { progress: number; total?: number | undefined; message?: string | undefined }) => void } = {}): Promise<Called> {
  const raw = (await client.callTool({ name, arguments: args }, undefined, { ...options, timeout: 60_000 })) as CallToolResult;
  const text = raw.content.find((c) => c.type === 'text')?.text ?? '{}';
  if (raw.isError) return { result: {}, error: (JSON.parse(text) as { error: Called['error'] }).error };
  // The text is the structured result, for clients that read only text.
  if (JSON.stringify(raw.structuredContent) !== text) throw new Error(`${name}: the text and the structured result differ`);
  return { result: raw.structuredContent as Record<string, unknown>, error: undefined };
}

/** A project folder with a file to review and, when given, a project template. */
export function project(dir: string, templates: Record<string, string> = {}): string {
  writeFileSync(join(dir, 'README.md'), '# Demo\n');
  for (const [file, text] of Object.entries(templates)) {
    mkdirSync(join(dir, '.orch', 'templates', file, '..'), { recursive: true });
    writeFileSync(join(dir, '.orch', 'templates', file), text);
  }
  return dir;
}

/** The workers of a run view. */
export function workersOf(view: Record<string, unknown>): Array<{ id: string; status: string; finalMessage: string | null; error: string | null }> {
  return view['workers'] as Array<{ id: string; status: string; finalMessage: string | null; error: string | null }>;
}

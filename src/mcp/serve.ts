import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { serverContext } from './context.js';
import { createMcpServer } from './server.js';

/** How long, once stopping, the runs' workers get to end on SIGTERM before they are killed. */
const stopGraceMs = 2000;

/** The part of an `AbortSignal` serving needs. */
interface StopSignal {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
}

/** Options of {@link serveStdio}. */
export interface ServeOptions {
  /** The folder served: the server acts only here (and in its runs folder). */
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  version: string;
  stdin: Readable;
  stdout: Writable;
  /** The server's log (Codex keeps a stdio server's stderr in its own log). */
  stderr: { write(chunk: string): unknown };
  /** Aborted on the first SIGTERM or Ctrl-C: stop, canceling the runs it holds. */
  signal?: StopSignal;
  /** Register what a second signal does (end every worker at once); returns the unregistering. */
  onKill?(hook: () => void): () => void;
  /** Register what the process exiting does; returns the unregistering. */
  onExit?(hook: () => void): () => void;
}

/**
 * Serve MCP over stdio until the client goes (stdin ends: Codex closes it, then sends SIGTERM,
 * when its session ends) or a signal comes. Then every run this server started is canceled as
 * Ctrl-C cancels `orch-prompt run`, and the call resolves once each has recorded how it ended
 * (a second signal, or the process exiting, ends their workers at once). Nothing but MCP
 * messages is written to stdout.
 */
export async function serveStdio(options: ServeOptions): Promise<void> {
  const log = (message: string, error?: unknown): void => {
    options.stderr.write(`orch-prompt: mcp: ${message}\n`);
    if (options.env['ORCH_DEBUG'] && error instanceof Error && error.stack) options.stderr.write(`${error.stack}\n`);
  };
  const context = serverContext(options.cwd, options.env, log);
  const server = createMcpServer(context, options.version);
  server.onerror = (error) => log(`protocol: ${error.message.split('\n')[0] ?? ''}`);
  const stopped = new Promise<void>((resolve) => {
    options.stdin.once('end', resolve);
    options.stdin.once('close', resolve);
    // A client that went away: writing to it fails, and nothing is left to serve.
    options.stdout.once('error', resolve);
    if (options.signal?.aborted) resolve();
    options.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  const kill = (): void => void context.runs.stopAll(true);
  const unhooks = [options.onKill?.(kill), options.onExit?.(kill)];
  try {
    await server.connect(new StdioServerTransport(options.stdin, options.stdout));
    await stopped;
    const running = context.runs.running().length;
    if (running > 0) log(`stopping: canceling ${running} run${running === 1 ? '' : 's'} it started`);
    // Canceled as Ctrl-C cancels a run; workers that outstay a short grace are ended, since
    // Codex does not wait long for a server it has asked to stop.
    const killLater = setTimeout(kill, stopGraceMs);
    await context.runs.stopAll();
    clearTimeout(killLater);
    await server.close();
  } finally {
    for (const unhook of unhooks) unhook?.();
  }
}

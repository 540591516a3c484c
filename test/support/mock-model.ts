import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The pinned real Codex CLI (devDependency `@openai/codex`). */
export const codexBin = fileURLToPath(new URL('../../node_modules/.bin/codex', import.meta.url));

/**
 * The flags that keep a test's `codex` session away from the machine's login shell: without them
 * Codex runs it first (its shell snapshot), and on these machines that runs pyenv's rehash under
 * a lock. Every `codex exec` a test starts passes them; {@link makeCodexHome} turns the feature
 * off too, for sessions started where no flag can be given (by the runner, inside a session).
 */
export const noShellSnapshot = ['--disable', 'shell_snapshot'] as const;

/**
 * A tool call the mock model makes instead of answering. Codex runs it and sends the result
 * back as a `function_call_output` item in its next request.
 */
export interface ToolCall {
  /** The function name, e.g. `exec_command` or `spawn_agent`. */
  name: string;
  /** The namespace of a namespaced tool (the sub-agent tools live in `multi_agent_v1`). */
  namespace?: string;
  /** The arguments, sent JSON-encoded as Codex expects. */
  arguments: Record<string, unknown>;
}

/** What the mock model does with one request. */
export interface MockReply {
  /** Assistant text (default `ok`). With `call`, sent as a message before the call. */
  text?: string;
  /** Answer with this tool call instead of a message. */
  call?: ToolCall;
  /** Answer with this HTTP status and no stream (e.g. 500). */
  status?: number;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Never answer (the connection stays open until the server closes). */
  hang?: boolean;
  /** Send `response.created`, then cut the connection mid-response. */
  cut?: boolean;
  /** Token usage reported in `response.completed`. */
  usage?: { input_tokens: number; output_tokens: number; total_tokens: number };
}

/** One request the model received. */
export interface MockRequest {
  index: number;
  path: string;
  /** Parsed JSON body of `POST /v1/responses`. */
  body: Record<string, unknown>;
  /** The raw body text (for searching: the instructions, the skills list, the prompt). */
  raw: string;
  /** Request headers, lower-case names (Codex marks sub-agent requests here). */
  headers: Record<string, string>;
  receivedAt: number;
}

/** A running mock model server. */
export interface MockModelServer {
  /** Base URL for the Codex provider: `http://127.0.0.1:PORT/v1`. */
  url: string;
  requests: MockRequest[];
  close(): Promise<void>;
}

/** Decides the reply to each `POST /v1/responses`. */
export type Responder = (request: MockRequest) => MockReply | Promise<MockReply>;

/**
 * Start a loopback model server speaking the subset of the OpenAI Responses API that
 * `codex exec` needs: `response.created`, one assistant message in
 * `response.output_item.done`, `response.completed` with usage (server-sent events).
 */
export async function startMockModel(respond: Responder = () => ({})): Promise<MockModelServer> {
  const requests: MockRequest[] = [];
  const open = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    void handle(req, res);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    if (req.method !== 'POST' || !req.url?.endsWith('/responses')) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
      return;
    }
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      // keep the raw text; the responder may still decide
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[name] = value;
    const request: MockRequest = { index: requests.length, path: req.url, body, raw, headers, receivedAt: Date.now() };
    requests.push(request);
    const reply = await respond(request);
    if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    if (reply.hang) {
      open.add(res);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.flushHeaders();
      return;
    }
    if (reply.status !== undefined && reply.status >= 400) {
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `mock model failure ${reply.status}`, type: 'server_error' } }));
      return;
    }
    const id = `resp_${request.index}`;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    send(res, 'response.created', { type: 'response.created', response: { id } });
    if (reply.cut) {
      res.flushHeaders();
      await new Promise((resolve) => setTimeout(resolve, 20));
      res.socket?.destroy();
      return;
    }
    const items: unknown[] = [];
    if (!reply.call || reply.text !== undefined) items.push({ type: 'message', role: 'assistant', id: `msg_${request.index}`, content: [{ type: 'output_text', text: reply.text ?? 'ok' }] });
    if (reply.call) {
      items.push({
        type: 'function_call',
        id: `fc_${request.index}`,
        call_id: `call_${request.index}`,
        name: reply.call.name,
        ...(reply.call.namespace !== undefined ? { namespace: reply.call.namespace } : {}),
        arguments: JSON.stringify(reply.call.arguments),
      });
    }
    items.forEach((item, index) => send(res, 'response.output_item.done', { type: 'response.output_item.done', output_index: index, item }));
    const usage = reply.usage ?? { input_tokens: 100, output_tokens: 10, total_tokens: 110 };
    send(res, 'response.completed', {
      type: 'response.completed',
      response: { id, usage: { ...usage, input_tokens_details: null, output_tokens_details: null } },
    });
    res.end();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    async close() {
      for (const res of open) res.socket?.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: ServerResponse, event: string, data: unknown): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/** A temporary CODEX_HOME wired to a mock model. */
export interface CodexHome {
  home: string;
  /** Environment for `codex` processes: CODEX_HOME, the provider's key, no proxy for loopback. */
  env: Record<string, string>;
  cleanup(): void;
}

/**
 * Make a fresh CODEX_HOME whose `config.toml` points Codex at the mock model, with retries off
 * so failures are fast. Each test gets its own: Codex writes state there.
 *
 * The shell snapshot is off (`[features] shell_snapshot = false`): every session Codex starts
 * with this home, also those started for the tests by the runner or by a session's own shell,
 * would otherwise run the machine's login shell first (on these machines pyenv's rehash under a
 * lock, which a killed shell leaves behind, and every later start then spins for 60 s).
 */
export function makeCodexHome(server: Pick<MockModelServer, 'url'>, options: { extraConfig?: string } = {}): CodexHome {
  const home = mkdtempSync(join(tmpdir(), 'orch-codex-home-'));
  const config = [
    'model = "mock-model"',
    'model_provider = "mock"',
    'approval_policy = "never"',
    '',
    '[features]',
    'shell_snapshot = false',
    '',
    '[model_providers.mock]',
    'name = "mock"',
    `base_url = "${server.url}"`,
    'wire_api = "responses"',
    'env_key = "ORCH_MOCK_API_KEY"',
    'request_max_retries = 0',
    'stream_max_retries = 0',
    'stream_idle_timeout_ms = 300000',
    '',
    options.extraConfig ?? '',
  ].join('\n');
  writeFileSync(join(home, 'config.toml'), config);
  // Codex refuses to create its helper binaries (the sandbox launcher that `exec_command` with
  // `tty: true` needs) when CODEX_HOME is inside the temporary folder: give it its own.
  const tmp = join(home, 'tmp');
  mkdirSync(tmp);
  return {
    home,
    env: { CODEX_HOME: home, ORCH_MOCK_API_KEY: 'test-key', NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost', TMPDIR: tmp },
    cleanup: () => rmSync(home, { recursive: true, force: true }),
  };
}

/** The requests of one test on a {@link SharedModel}. */
export interface ModelRoute {
  /** The base URL of the shared model. */
  url: string;
  /** The requests routed to this test, in order (`index` counts this route's requests). */
  requests: MockRequest[];
}

/** One mock model and one Codex home for all the tests of a file: see {@link startSharedModel}. */
export interface SharedModel {
  url: string;
  home: CodexHome;
  /**
   * Answer with `respond` every request that contains `key`: a test's own folder, which Codex
   * sends as its working folder in every request (its environment context).
   */
  route(key: string, respond: Responder): ModelRoute;
  close(): Promise<void>;
}

/**
 * Start one mock model, with its Codex home, for a whole test file (in `beforeAll`; `close()` in
 * `afterAll`). Each test routes its own requests by its folder. A request that no route claims
 * is answered with a message saying so. Codex starts faster in a home it has used before.
 */
export async function startSharedModel(): Promise<SharedModel> {
  const routes: Array<{ key: string; respond: Responder; route: ModelRoute }> = [];
  const server = await startMockModel((request) => {
    const match = routes.find((r) => request.raw.includes(r.key));
    if (!match) return { text: 'no test routed this request' };
    const own = { ...request, index: match.route.requests.length };
    match.route.requests.push(own);
    return match.respond(own);
  });
  const home = makeCodexHome(server);
  return {
    url: server.url,
    home,
    route(key, respond) {
      const route: ModelRoute = { url: server.url, requests: [] };
      routes.push({ key, respond, route });
      return route;
    },
    async close() {
      await server.close();
      home.cleanup();
    },
  };
}

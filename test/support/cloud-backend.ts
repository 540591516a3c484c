import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A loopback stand-in for Codex Cloud that the pinned, unmodified `codex cloud` talks to.
 *
 * Codex 0.169 refuses a `CODEX_CLOUD_TASKS_BASE_URL` other than https on chatgpt.com (or
 * chat.openai.com, chatgpt-staging.com) port 443 when it would send saved ChatGPT credentials
 * (codex-rs/cloud-tasks/src/util.rs, `validate_chatgpt_base_url`). So the stand-in is an HTTPS
 * proxy: codex is given `HTTPS_PROXY` pointing here and `CODEX_CA_CERTIFICATE` naming a CA made
 * for the test; every CONNECT is answered here, with a certificate for chatgpt.com signed by that
 * CA, and nothing leaves the machine. The auth is a fabricated ChatGPT login in a temporary
 * CODEX_HOME (auth.json with unsigned JWTs that expire in 2100, so codex never refreshes them).
 *
 * The routes are those of codex-rs/backend-client (ChatGPT path style, `/backend-api/wham/...`):
 * environments, POST tasks, GET task details, sibling turns (the other attempts), tasks list.
 */
export interface CloudTaskScript {
  /** Turn status per `codex cloud status` read, in order; the last one repeats. */
  statuses: Array<'pending' | 'in_progress' | 'completed' | 'failed'>;
  title?: string;
  /** The diff of attempt n (1-based). */
  diff?(attempt: number): string;
}

/** One task the stand-in created. */
export interface CloudTask {
  id: string;
  env: string;
  branch: string | null;
  attempts: number;
  prompt: string;
  script: CloudTaskScript;
  /** `codex cloud status` reads so far. */
  statusReads: number;
}

export interface CloudBackend {
  /** Environment for the process that runs `codex` (CODEX_HOME, proxy, CA, base URL). */
  env: Record<string, string>;
  codexHome: string;
  tasks: CloudTask[];
  /** Every request, as `METHOD path` (the user agent's suffix says which subcommand sent it). */
  requests: Array<{ method: string; path: string; agent: string }>;
  /** How the next task behaves (default: pending once, then completed). */
  nextScript: (prompt: string) => CloudTaskScript;
  close(): Promise<void>;
}

/** A unified diff adding `file` with one line. */
export function addFileDiff(file: string, line: string): string {
  return `diff --git a/${file} b/${file}\nnew file mode 100644\nindex 0000000..1111111\n--- /dev/null\n+++ b/${file}\n@@ -0,0 +1 @@\n+${line}\n`;
}

const defaultScript = (): CloudTaskScript => ({ statuses: ['in_progress', 'completed'] });

/** Start the stand-in; close it when the test ends. */
export async function startCloudBackend(): Promise<CloudBackend> {
  const dir = mkdtempSync(join(tmpdir(), 'orch-cloud-'));
  const pki = makeCertificates(dir);
  const codexHome = join(dir, 'codex-home');
  execFileSync('mkdir', ['-p', codexHome]);
  writeFileSync(join(codexHome, 'auth.json'), fabricatedAuth());

  const tasks: CloudTask[] = [];
  const requests: CloudBackend['requests'] = [];
  const backend: CloudBackend = { env: {}, codexHome, tasks, requests, nextScript: defaultScript, close: async () => undefined };

  const app = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0] as string;
      const agent = /\(codex_cloud_tasks_(\w+)\)/.exec(req.headers['user-agent'] ?? '')?.[1] ?? '';
      requests.push({ method: req.method ?? '', path, agent });
      const json = (value: unknown, status = 200): void => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (req.headers.authorization === undefined) return json({ detail: 'no auth' }, 401);
      if (path === '/backend-api/wham/environments') return json([{ id: 'env-test', label: 'Test env' }]);
      if (req.method === 'POST' && path === '/backend-api/wham/tasks') {
        const request = JSON.parse(body) as { new_task: { environment_id: string; branch?: string }; input_items: Array<{ content: Array<{ text: string }> }>; metadata?: { best_of_n?: number } };
        const prompt = request.input_items[0]?.content[0]?.text ?? '';
        const task: CloudTask = { id: `task_e_${tasks.length + 1}${Math.random().toString(16).slice(2, 8)}`, env: request.new_task.environment_id, branch: request.new_task.branch ?? null, attempts: request.metadata?.best_of_n ?? 1, prompt, script: backend.nextScript(prompt), statusReads: 0 };
        tasks.push(task);
        return json({ task: { id: task.id } });
      }
      const match = /^\/backend-api\/wham\/tasks\/([^/]+)(\/turns\/[^/]+\/sibling_turns)?$/.exec(path);
      const task = tasks.find((t) => t.id === match?.[1]);
      if (match === null || task === undefined) return json({ detail: 'not found' }, 404);
      const status = statusOf(task, agent === 'status');
      const diff = (n: number): string => task.script.diff?.(n) ?? addFileDiff(`cloud-attempt-${n}.txt`, `attempt ${n}`);
      const done = status === 'completed';
      const siblings = Array.from({ length: task.attempts - 1 }, (_, i) => `turn_${task.id}_${i + 2}`);
      if (match[2] !== undefined) {
        return json({ sibling_turns: siblings.map((id, i) => ({ id, attempt_placement: i + 1, turn_status: status, output_items: done ? [{ type: 'output_diff', diff: diff(i + 2) }] : [] })) });
      }
      return json({
        task: { id: task.id, title: task.script.title ?? `Task ${task.id}`, archived: false, external_pull_requests: [], environment_id: task.env, updated_at: Date.now() / 1000 },
        task_status_display: { latest_turn_status_display: { turn_status: status, sibling_turn_ids: siblings } },
        current_user_turn: { input_items: [{ type: 'message', role: 'user', content: [{ content_type: 'text', text: task.prompt }] }] },
        current_assistant_turn: { id: `turn_${task.id}_1`, attempt_placement: 0, turn_status: status, sibling_turn_ids: siblings, output_items: done ? [{ type: 'message', content: [{ content_type: 'text', text: 'done' }] }] : [] },
        ...(done ? { current_diff_task_turn: { output_items: [{ type: 'output_diff', diff: diff(1) }] } } : {}),
      });
    });
  };

  const tlsServer = https.createServer({ key: readFileSync(pki.key), cert: readFileSync(pki.cert) }, app);
  const sockets = new Set<Socket>();
  const proxy = http.createServer((_req, res) => {
    res.writeHead(502);
    res.end();
  });
  // Every CONNECT, whatever host it names, ends here: nothing reaches the network.
  proxy.on('connect', (_req: http.IncomingMessage, socket: Socket, head: Buffer) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length > 0) socket.unshift(head);
    tlsServer.emit('connection', socket);
  });
  proxy.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  backend.env = {
    CODEX_HOME: codexHome,
    CODEX_CLOUD_TASKS_BASE_URL: 'https://chatgpt.com/backend-api',
    CODEX_CA_CERTIFICATE: pki.ca,
    HTTPS_PROXY: proxyUrl,
    https_proxy: proxyUrl,
    ALL_PROXY: proxyUrl,
    all_proxy: proxyUrl,
    NO_PROXY: '',
    no_proxy: '',
  };
  backend.close = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => proxy.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  };
  return backend;
}

function statusOf(task: CloudTask, isStatusRead: boolean): string {
  const { statuses } = task.script;
  if (isStatusRead) task.statusReads += 1;
  // The diff and apply reads see the state the last status read saw.
  return statuses[Math.min(Math.max(task.statusReads - 1, 0), statuses.length - 1)] as string;
}

/** The PEM texts of the test CA, of the certificate for chatgpt.com and of its key. */
let pems: { ca: string; cert: string; key: string } | undefined;

/**
 * A test CA and a certificate for chatgpt.com signed by it (openssl, two days), written into
 * `dir`. Made once per test run (two RSA keys are the costly part) and written for each backend.
 */
function makeCertificates(dir: string): { ca: string; cert: string; key: string } {
  const at = (name: string): string => join(dir, name);
  if (pems === undefined) {
    const openssl = (...args: string[]): void => void execFileSync('openssl', args, { stdio: 'ignore' });
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', at('ca.key'), '-out', at('ca.pem'), '-days', '2', '-subj', '/CN=orch-prompt test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', at('leaf.key'), '-out', at('leaf.csr'), '-subj', '/CN=chatgpt.com');
    writeFileSync(at('leaf.ext'), 'subjectAltName=DNS:chatgpt.com,DNS:chat.openai.com\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n');
    openssl('x509', '-req', '-in', at('leaf.csr'), '-CA', at('ca.pem'), '-CAkey', at('ca.key'), '-CAcreateserial', '-out', at('leaf.pem'), '-days', '2', '-extfile', at('leaf.ext'));
    pems = { ca: readFileSync(at('ca.pem'), 'utf8'), cert: readFileSync(at('leaf.pem'), 'utf8'), key: readFileSync(at('leaf.key'), 'utf8') };
  } else {
    writeFileSync(at('ca.pem'), pems.ca);
    writeFileSync(at('leaf.pem'), pems.cert);
    writeFileSync(at('leaf.key'), pems.key);
  }
  return { ca: at('ca.pem'), cert: at('leaf.pem'), key: at('leaf.key') };
}

/** A ChatGPT-style auth.json (codex-rs/login token_data.rs): unsigned JWTs with the claims codex reads. */
function fabricatedAuth(): string {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const claims = { email: 'test@example.com', exp: 4102444800, 'https://api.openai.com/auth': { chatgpt_plan_type: 'pro', chatgpt_user_id: 'user-test', chatgpt_account_id: 'account-test' } };
  const jwt = `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.test-signature`;
  return JSON.stringify({ auth_mode: 'chatgpt', OPENAI_API_KEY: null, tokens: { id_token: jwt, access_token: jwt, refresh_token: 'test-refresh', account_id: 'account-test' }, last_refresh: new Date().toISOString() });
}

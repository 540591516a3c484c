import { mkdtempSync, rmdirSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { terminalSafe } from '../../text/terminal.js';
import { modelEndpoint, type ModelEndpoint } from './model-endpoint.js';
import { nonBlank } from '../../text/non-blank.js';

/** Why `codex exec` workers cannot work from here. */
export type PreflightCode = 'network-disabled' | 'endpoint-unreachable' | 'run-dir-not-writable';

/** One problem found before starting workers. */
export interface PreflightProblem {
  code: PreflightCode;
  /** What was found, one clause, e.g. `this Codex sandbox has no network (...)`. */
  cause: string;
}

/** What {@link preflight} found; `ok` with no problems when workers can start. */
export interface PreflightResult {
  ok: boolean;
  problems: PreflightProblem[];
  /** The model endpoint that was probed, when one was. */
  endpoint: ModelEndpoint | undefined;
  /** One line naming each cause and each fix; empty when `ok`. */
  message: string;
}

/** Input of {@link preflight}. */
export interface PreflightInput {
  /** The environment the workers will get. */
  env: Readonly<Record<string, string | undefined>>;
  /** The run folder about to be written (it may not exist yet). */
  runDir: string;
  /** `-c key=value` overrides passed to each worker. */
  config?: readonly string[];
  /** `-p NAME` passed to each worker. */
  profile?: string;
}

/** Options of {@link preflight}. */
export interface PreflightOptions {
  /** How long the reachability probe may wait for a connection (default 2000 ms). */
  timeoutMs?: number;
}

/**
 * Check, before any worker starts, what would otherwise fail slowly or obscurely:
 *
 * - `network-disabled`: Codex runs an agent's shell commands with
 *   `CODEX_SANDBOX_NETWORK_DISABLED=1` when its sandbox has no network (read-only, and
 *   workspace-write without `network_access`). A nested `codex exec` there never reaches the model
 *   and retries forever ("Reconnecting... waiting for network").
 * - `endpoint-unreachable`: a TCP connection to the workers' configured model endpoint (or to
 *   the proxy that would carry it, as HTTPS_PROXY / ALL_PROXY / NO_PROXY say) is tried, inside a
 *   Codex session or not: Codex 0.169 retries a refused connection forever, so a wrong or dead
 *   endpoint would otherwise cost every worker its watchdog.
 * - `run-dir-not-writable`: the run folder cannot be created (Codex's read-only sandbox, a
 *   read-only mount, permissions); the manifest could not be written.
 *
 * Each fix offered is one that works where the runner is: inside a Codex session, starting Codex
 * again with network, or native sub-agents; never escalated permissions, which `codex exec`
 * (approval policy `never`) always refuses.
 *
 * It never throws: each problem is data, and `message` is one line with the causes and the fixes.
 */
export async function preflight(input: PreflightInput, options: PreflightOptions = {}): Promise<PreflightResult> {
  const env = input.env;
  const problems: PreflightProblem[] = [];
  let endpoint: ModelEndpoint | undefined;
  if (env['CODEX_SANDBOX_NETWORK_DISABLED'] === '1') {
    problems.push({ code: 'network-disabled', cause: 'this Codex sandbox has no network (CODEX_SANDBOX_NETWORK_DISABLED=1), so codex exec workers would hang on "Reconnecting... waiting for network"' });
  } else {
    endpoint = modelEndpoint({ env, ...(input.config ? { config: input.config } : {}), ...(input.profile !== undefined ? { profile: input.profile } : {}) });
    if (endpoint) {
      const failures = await Promise.all(endpoint.urls.map((url) => probe(url, env, options.timeoutMs ?? 2000)));
      if (failures.every((failure) => failure !== undefined)) {
        const url = endpoint.urls[0] as string;
        problems.push({
          code: 'endpoint-unreachable',
          cause: `the model endpoint ${safe(url)} (provider \`${safe(endpoint.provider)}\`, from ${safe(endpoint.source)}) cannot be reached (${failures[0]}), so codex exec workers would hang on "Reconnecting..."`,
        });
      }
    }
  }
  const notWritable = writeProblem(input.runDir);
  if (notWritable !== undefined) problems.push({ code: 'run-dir-not-writable', cause: `the run folder ${safe(input.runDir)} cannot be created (${notWritable})` });
  return { ok: problems.length === 0, problems, endpoint, message: problems.length === 0 ? '' : message(problems, env) };
}

function message(problems: readonly PreflightProblem[], env: PreflightInput['env']): string {
  const codes = new Set(problems.map((p) => p.code));
  const insideCodex = ['CODEX_THREAD_ID', 'CODEX_SANDBOX', 'CODEX_SANDBOX_NETWORK_DISABLED'].some((name) => nonBlank(env[name]) !== undefined);
  const fixes: string[] = [];
  if (codes.has('network-disabled')) {
    // Network is a setting of the session the runner is in: only the user can start it anew.
    const sandbox = codes.has('run-dir-not-writable') ? '--sandbox workspace-write ' : '';
    fixes.push(`ask the user to start Codex with ${sandbox}-c sandbox_workspace_write.network_access=true`);
  } else if (codes.has('run-dir-not-writable')) fixes.push('choose a writable folder with --run-dir');
  if (codes.has('endpoint-unreachable')) fixes.push("check that the model endpoint is up and its URL right (see where it came from), and the proxy if one is set");
  if (insideCodex) fixes.push('use native sub-agents (spawn_agent) instead');
  const last = fixes.pop() as string;
  return `cannot start codex exec workers here: ${problems.map((p) => p.cause).join('; and ')}. Fix: ${fixes.length > 0 ? `${fixes.join(', ')}, or ${last}` : last}`;
}

/**
 * Whether the run folder can be created: a temporary folder is made and removed in its nearest
 * existing ancestor, so nothing is left behind. Returns the error code, or undefined when fine.
 */
function writeProblem(runDir: string): string | undefined {
  let dir = runDir;
  for (;;) {
    try {
      if (statSync(dir).isDirectory()) break;
      return `${safe(dir)} is not a folder`;
    } catch {
      const parent = dirname(dir);
      if (parent === dir) return 'no existing folder above it';
      dir = parent;
    }
  }
  try {
    rmdirSync(mkdtempSync(join(dir, '.orch-preflight-')));
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? String(error);
  }
}

/** Try a TCP connection to the URL's host (or its proxy); the error code, or undefined when it connects. */
async function probe(url: string, env: PreflightInput['env'], timeoutMs: number): Promise<string | undefined> {
  let target: URL;
  try {
    target = new URL(proxyFor(url, env) ?? url);
  } catch {
    return undefined; // Not a URL Codex could use either; Codex will say so itself.
  }
  const port = Number(target.port || (target.protocol === 'https:' || target.protocol === 'wss:' ? 443 : 80));
  const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (result: string | undefined): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done(`no answer within ${timeoutMs} ms`), timeoutMs);
    socket.once('connect', () => done(undefined));
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
  });
}

/** The proxy Codex's HTTP client would use for this URL, if any (HTTPS_PROXY, ALL_PROXY, NO_PROXY). */
function proxyFor(url: string, env: PreflightInput['env']): string | undefined {
  const target = new URL(url);
  const pick = (...names: string[]): string | undefined => names.map((n) => nonBlank(env[n])).find((v) => v !== undefined);
  const noProxy = pick('NO_PROXY', 'no_proxy');
  if (noProxy !== undefined) {
    const host = target.hostname.toLowerCase();
    for (const raw of noProxy.split(',')) {
      const entry = raw.trim().toLowerCase().replace(/:\d+$/, '');
      if (entry === '*') return undefined;
      if (entry !== '' && (host === entry.replace(/^\./, '') || host.endsWith(entry.startsWith('.') ? entry : `.${entry}`))) return undefined;
    }
  }
  const proxy = target.protocol === 'https:' ? pick('HTTPS_PROXY', 'https_proxy', 'ALL_PROXY', 'all_proxy') : pick('HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy');
  if (proxy === undefined) return undefined;
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`;
}

function safe(text: string): string {
  return terminalSafe(text, { singleLine: true });
}

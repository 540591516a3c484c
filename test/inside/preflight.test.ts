import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binPath, runMain } from '../support/cli.js';
import { codexBin, makeCodexHome, startMockModel, type CodexHome, type MockModelServer } from '../support/mock-model.js';

// `orch-prompt run` stops before starting any worker when codex exec could not reach the model
// (it would retry forever) or the run folder cannot be written. Fast cases run in-process with a
// fake codex that logs every start; the real cases run inside Codex's own sandbox.

const fakeCodex = fileURLToPath(new URL('../fixtures/run/fake-codex/codex', import.meta.url));
const skillScript = fileURLToPath(new URL('../../dist/orch-prompt.mjs', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'orch-preflight-'));
let server: MockModelServer;
let home: CodexHome;
let closedPort: number;

beforeAll(async () => {
  server = await startMockModel(() => ({ text: 'worker answer' }));
  home = makeCodexHome(server);
  // A port that refuses connections: bind one, note it, close it.
  const probe: Server = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
});
afterAll(async () => {
  await server.close();
  home.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

let cases = 0;
/** A fresh folder, and an env with nothing from the machine but PATH (no outer Codex session). */
function setup(env: Record<string, string> = {}) {
  const dir = join(scratch, `case-${++cases}`);
  mkdirSync(dir);
  const starts = join(dir, 'codex-starts.log');
  return { dir, starts, env: { PATH: process.env['PATH'] ?? '', HOME: dir, CODEX_HOME: home.home, FAKE_CODEX_ARGS: starts, ...env } };
}

function codexHomeWith(dir: string, config: string): string {
  const path = join(dir, 'codex-home');
  mkdirSync(path);
  writeFileSync(join(path, 'config.toml'), config);
  return path;
}

const provider = (url: string, id = 'mock') => `model_provider = "${id}"\n[model_providers.${id}]\nname = "x"\nbase_url = "${url}"\nwire_api = "responses"\n`;
const runArgs = (dir: string) => ['run', 'scout', '--target', 'the CLI', '--set', `codex-bin=${fakeCodex}`, '--run-dir', join(dir, 'run')];
// Only fixes that work where the runner is: under codex exec (approval policy never) escalated
// permissions are always refused, so they are never offered.
const fixes = 'Fix: ask the user to start Codex with -c sandbox_workspace_write.network_access=true, or use native sub-agents (spawn_agent) instead';
const endpointFixes = 'Fix: check that the model endpoint is up and its URL right (see where it came from), and the proxy if one is set';

describe('orch-prompt run preflight', () => {
  it('in a Codex sandbox without network: one line with the cause and each fix, exit 2, no worker started, no run folder', async () => {
    const s = setup({ CODEX_SANDBOX_NETWORK_DISABLED: '1' });
    const result = await runMain(runArgs(s.dir), { cwd: s.dir, env: s.env });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `orch-prompt: run: cannot start codex exec workers here: this Codex sandbox has no network (CODEX_SANDBOX_NETWORK_DISABLED=1), so codex exec workers would hang on "Reconnecting... waiting for network". ${fixes}\n`,
    );
    expect(result.stdout).toBe('');
    expect(existsSync(s.starts)).toBe(false);
    expect(existsSync(join(s.dir, 'run'))).toBe(false);
  });

  it('--dry-run still works without network: it starts nothing', async () => {
    const s = setup({ CODEX_SANDBOX_NETWORK_DISABLED: '1' });
    const result = await runMain([...runArgs(s.dir), '--dry-run'], { cwd: s.dir, env: s.env });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Commands (prompt on stdin):');
    expect(existsSync(s.starts)).toBe(false);
  });

  it('inside a Codex session: an unreachable configured endpoint is named with its provider and config file; network is on, so it is not offered', async () => {
    const s = setup({ CODEX_THREAD_ID: 'thread-1' });
    const codexHome = codexHomeWith(s.dir, provider(`http://127.0.0.1:${closedPort}/v1`));
    const result = await runMain(runArgs(s.dir), { cwd: s.dir, env: { ...s.env, CODEX_HOME: codexHome } });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `orch-prompt: run: cannot start codex exec workers here: the model endpoint http://127.0.0.1:${closedPort}/v1 (provider \`mock\`, from ${join(codexHome, 'config.toml')}) cannot be reached (ECONNREFUSED), so codex exec workers would hang on "Reconnecting...". ${endpointFixes}, or use native sub-agents (spawn_agent) instead\n`,
    );
    expect(existsSync(s.starts)).toBe(false);
  });

  it('outside Codex too: a dead endpoint stops the run before any worker, in well under a second for a refused port, naming where its URL came from (-c, not config.toml)', async () => {
    const s = setup();
    const closed = `http://127.0.0.1:${closedPort}/v1`;
    const started = Date.now();
    const result = await runMain([...runArgs(s.dir), '-c', `model_providers.mock.base_url="${closed}"`], { cwd: s.dir, env: s.env });
    const took = Date.now() - started;
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `orch-prompt: run: cannot start codex exec workers here: the model endpoint ${closed} (provider \`mock\`, from -c model_providers.mock.base_url="${closed}") cannot be reached (ECONNREFUSED), so codex exec workers would hang on "Reconnecting...". ${endpointFixes}\n`,
    );
    expect(existsSync(s.starts)).toBe(false);
    expect(existsSync(join(s.dir, 'run'))).toBe(false);
    expect(took).toBeLessThan(10_000);
  });

  it('inside a Codex session with a reachable endpoint, the workers run', async () => {
    const s = setup({ CODEX_THREAD_ID: 'thread-1', CODEX_HOME: home.home });
    const result = await runMain(runArgs(s.dir), { cwd: s.dir, env: s.env });
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(s.starts)).toBe(true);
  });

  it('reads what the workers will use: -c overrides, the profile, a proxy and NO_PROXY', async () => {
    const s = setup({ CODEX_THREAD_ID: 'thread-1' });
    const reachable = server.url;
    const closed = `http://127.0.0.1:${closedPort}/v1`;
    const codexHome = codexHomeWith(s.dir, `${provider(reachable)}[model_providers.other]\nname = "o"\nbase_url = "${closed}"\n[profiles.p]\nmodel_provider = "other"\n`);
    const env = { ...s.env, CODEX_HOME: codexHome };
    // The preflight's verdict: '' when the workers started, else its message.
    const run = async (extra: string[], more: Record<string, string> = {}) => {
      const result = await runMain([...runArgs(s.dir), '--run-dir', join(s.dir, `run-${++cases}`), ...extra], { cwd: s.dir, env: { ...env, ...more } });
      return result.code === 0 ? '' : result.stderr;
    };
    expect(await run([])).toBe('');
    expect(await run(['-c', `model_providers.mock.base_url="${closed}"`])).toContain(`the model endpoint ${closed} (provider \`mock\``);
    expect(await run(['-c', 'model_provider=other'])).toContain('(provider `other`');
    expect(await run(['-p', 'p'])).toContain('(provider `other`');
    // Behind a proxy, the proxy is what must answer.
    mkdirSync(join(s.dir, 'x'));
    const remote = { CODEX_HOME: codexHomeWith(join(s.dir, 'x'), provider('https://model.invalid/v1')) };
    expect(await run([], { ...remote, HTTPS_PROXY: new URL(reachable).origin })).toBe('');
    expect(await run([], { ...remote, HTTPS_PROXY: new URL(reachable).origin, NO_PROXY: '.invalid' })).toMatch(/the model endpoint https:\/\/model\.invalid\/v1 .* cannot be reached \((ENOTFOUND|EAI_AGAIN)\)/);
  });

  it('without a config, inside Codex, the default OpenAI endpoints are the ones probed', async () => {
    // No network on the test machine is not assumed either way: only which URL is named.
    const s = setup({ CODEX_THREAD_ID: 'thread-1', CODEX_HOME: join(scratch, 'no-such-home'), HTTPS_PROXY: `http://127.0.0.1:${closedPort}` });
    const result = await runMain(runArgs(s.dir), { cwd: s.dir, env: s.env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("the model endpoint https://api.openai.com/v1 (provider `openai`, from Codex's default) cannot be reached (ECONNREFUSED)");
  });

  it('a run folder that cannot be created: one line, exit 2 (the runner used to spin at full CPU)', { timeout: 30_000 }, async () => {
    const s = setup();
    writeFileSync(join(s.dir, 'a-file'), '');
    const underFile = await runMain([...runArgs(s.dir), '--run-dir', join(s.dir, 'a-file', 'run')], { cwd: s.dir, env: s.env });
    expect(underFile.code).toBe(2);
    expect(underFile.stderr).toBe(`orch-prompt: run: cannot start codex exec workers here: the run folder ${join(s.dir, 'a-file', 'run')} cannot be created (${join(s.dir, 'a-file')} is not a folder). Fix: choose a writable folder with --run-dir\n`);
    const proc = await runMain([...runArgs(s.dir), '--run-dir', '/proc/orch-preflight/run'], { cwd: s.dir, env: s.env });
    expect(proc.code).toBe(2);
    expect(proc.stderr).toMatch(/^orch-prompt: run: cannot start codex exec workers here: the run folder \/proc\/orch-preflight\/run cannot be created \(E[A-Z]+\)\. Fix: /);
    expect(existsSync(s.starts)).toBe(false);
  });
});

/**
 * Run a command as an agent's shell would, inside Codex's sandbox. Its output goes to files: Node
 * gives a child socket pairs for pipes, and a sandboxed Node process cannot write to a socket.
 */
async function inSandbox(mode: string, command: string[], cwd: string, extra: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const files = mkdtempSync(join(scratch, 'out-'));
  const out = openSync(join(files, 'stdout'), 'w');
  const err = openSync(join(files, 'stderr'), 'w');
  const child = spawn(codexBin, ['sandbox', '-c', `sandbox_mode=${mode}`, ...extra, '--', ...command], { cwd, env: { ...process.env, ...home.env, NO_COLOR: '1' }, stdio: ['ignore', out, err] });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  closeSync(out);
  closeSync(err);
  const read = (name: string) => readFileSync(join(files, name), 'utf8');
  return { code, stdout: read('stdout'), stderr: read('stderr').replace(/^WARNING: proceeding.*\n/gm, '') };
}

// Before the preflight, each of these hung (workspace-write) or failed with a misleading error
// (read-only); a hang fails through the test timeout.
describe('inside Codex\'s real sandbox', { timeout: 60_000 }, () => {
  const scoutRun = (cli: string[]) => [process.execPath, ...cli, 'run', 'scout', '--target', 'the CLI', '--set', `codex-bin=${codexBin}`];

  it('workspace-write: the package CLI and the skill script stop at once with the reason, exit 2, nothing recorded', async () => {
    for (const cli of [[binPath], [skillScript]]) {
      const dir = mkdtempSync(join(scratch, 'ww-'));
      const result = await inSandbox('workspace-write', scoutRun(cli), dir);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toBe(
        `orch-prompt: run: cannot start codex exec workers here: this Codex sandbox has no network (CODEX_SANDBOX_NETWORK_DISABLED=1), so codex exec workers would hang on "Reconnecting... waiting for network". ${fixes}\n`,
      );
      expect(readdirSync(dir)).toEqual([]);
    }
  });

  it('read-only: no network and no run folder, both named, with the fixes that apply there', async () => {
    const dir = mkdtempSync(join(scratch, 'ro-'));
    const result = await inSandbox('read-only', scoutRun([binPath]), dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^orch-prompt: run: cannot start codex exec workers here: this Codex sandbox has no network \(CODEX_SANDBOX_NETWORK_DISABLED=1\), so codex exec workers would hang on "Reconnecting\.\.\. waiting for network"; and the run folder \S+ cannot be created \(EROFS\)\. Fix: ask the user to start Codex with --sandbox workspace-write -c sandbox_workspace_write\.network_access=true, or use native sub-agents \(spawn_agent\) instead\n$/,
    );
  });

  it('workspace-write with network access: --isolation worktree stops at planning with one line, since .git is read-only there', async () => {
    const dir = mkdtempSync(join(scratch, 'wt-'));
    const gitEnv = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
    for (const args of [['init', '--quiet'], ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '--quiet', '--allow-empty', '-m', 'base']]) execFileSync('git', args, { cwd: dir, env: gitEnv });
    const implementer = [process.execPath, binPath, 'run', 'implementer', '--deliverable', 'x', '--scope', 'anything', '--set', `codex-bin=${codexBin}`, '--isolation', 'worktree'];
    const result = await inSandbox('workspace-write', implementer, dir, ['-c', 'sandbox_workspace_write.network_access=true']);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toBe(
      `orch-prompt: run: --isolation worktree: git cannot add worktrees here: ${join(realpathSync(dir), '.git')} is read-only (EROFS), as .git folders are inside Codex's sandbox; run orch-prompt outside the sandbox, or run without --isolation worktree\n`,
    );
    expect(readdirSync(dir)).toEqual(['.git']);
  });

  it('workspace-write with network access: the preflight lets the run through and the worker answers (the sandbox\'s empty .git mounts are not taken for a repository)', async () => {
    const dir = mkdtempSync(join(scratch, 'net-'));
    const result = await inSandbox('workspace-write', scoutRun([skillScript]), dir, ['-c', 'sandbox_workspace_write.network_access=true']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('1/1 succeeded');
  });
});

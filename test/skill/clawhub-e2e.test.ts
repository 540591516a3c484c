import { spawn } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manifestName } from '../../src/skill/install-state.js';
import { binPath, runMain } from '../support/cli.js';
import { clawhubBin, startClawhubRegistry, type ClawhubRegistry } from '../support/clawhub-registry.js';

// End to end with the real consumer: the pinned `clawhub` CLI (npm `clawhub`) against a loopback
// registry that speaks the routes it calls (test/support/clawhub-registry.ts). Each clawhub run
// starts a Node process that loads a large CLI: seconds each on a loaded machine.

const scratch = mkdtempSync(join(tmpdir(), 'orch-clawhub-e2e-'));
let registry: ClawhubRegistry;
/** The skill as `orch-prompt build --out` writes it: what every later step must reproduce. */
let built: Record<string, Buffer>;
const builtDir = join(scratch, 'built', 'codex-orchestration');

beforeAll(async () => {
  registry = await startClawhubRegistry();
  const build = await runMain(['build', '--out', join(scratch, 'built')]);
  expect(build.code, build.stderr).toBe(0);
  // The skill's files, without build's own record of what it wrote (never published).
  built = Object.fromEntries(Object.entries(filesIn(builtDir)).filter(([path]) => path !== manifestName));
});
afterAll(async () => {
  await registry.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** Every regular file below `dir` by `/`-separated path, dot-files included. */
function filesIn(dir: string): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) out[relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/')] = readFileSync(join(entry.parentPath, entry.name));
  }
  return out;
}

let boxes = 0;
/**
 * A fresh user: HOME, a clawhub config file of its own, a workspace. The environment is built
 * from nothing, so no CLAWHUB_* variable, proxy or config of the machine's user leaks in.
 */
function box(options: { withoutClawhub?: boolean } = {}) {
  const root = join(scratch, `box-${++boxes}`);
  const home = join(root, 'home');
  const workspace = join(root, 'workspace');
  const bin = join(root, 'bin');
  for (const dir of [home, workspace, bin]) mkdirSync(dir, { recursive: true });
  // node alone on PATH, without its folder, which may hold a global clawhub.
  symlinkSync(process.execPath, join(bin, 'node'));
  const env: Record<string, string> = {
    PATH: options.withoutClawhub ? bin : [dirname(clawhubBin), bin].join(':'),
    HOME: home,
    CLAWHUB_CONFIG_PATH: join(root, 'clawhub-config.json'),
    CLAWHUB_REGISTRY: registry.url,
    CLAWHUB_DISABLE_TELEMETRY: '1',
    NO_COLOR: '1',
    ...(process.env['TMPDIR'] ? { TMPDIR: process.env['TMPDIR'] } : {}),
    // Where Node 22+ keeps compiled modules (the run's cache folder, not TMPDIR: see the global setup).
    ...(process.env['NODE_COMPILE_CACHE'] ? { NODE_COMPILE_CACHE: process.env['NODE_COMPILE_CACHE'] } : {}),
  };
  return { root, home, workspace, env };
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run a program asynchronously (the registry answers from this same process). */
function run(command: string, args: readonly string[], env: Record<string, string>, cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const clawhub = (args: readonly string[], b: ReturnType<typeof box>) => run(clawhubBin, args, b.env, b.root);

async function login(b: ReturnType<typeof box>): Promise<void> {
  const result = await clawhub(['login', '--token', registry.token, '--no-input'], b);
  expect(result.code, result.stderr).toBe(0);
}

function utf8(files: Record<string, Buffer>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([path, bytes]) => [path, bytes.toString('utf8')]));
}

describe('publish and install through the real clawhub CLI', { timeout: 300_000 }, () => {
  // The publisher's box: logged in once, used again to publish a later version.
  let pub: ReturnType<typeof box>;

  it('orch-prompt publish uploads exactly the built skill, and proves it by clawhub\'s report', async () => {
    pub = box();
    await login(pub);
    // Its own TMPDIR, to see that the folder clawhub published from is removed.
    const tmp = join(pub.root, 'tmp');
    mkdirSync(tmp);
    const result = await run(process.execPath, [binPath, 'publish', '--registry', registry.url], { ...pub.env, TMPDIR: tmp }, pub.root);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(new RegExp(`^published codex-orchestration 0\\.1\\.0 \\(${Object.keys(built).length} files, fingerprint [0-9a-f]{12}\\) to ${registry.url.replace(/[.]/g, '\\.')}\\nOpenClaw and Termo install it with: clawhub install codex-orchestration\\n$`));
    const skill = registry.skills.get('codex-orchestration');
    expect(skill?.versions.map((v) => v.version)).toEqual(['0.1.0']);
    const uploaded = Object.fromEntries((skill?.versions[0]?.files ?? []).map((file) => [file.path, file.bytes]));
    expect(Object.keys(uploaded).sort()).toEqual(Object.keys(built).sort());
    for (const [path, bytes] of Object.entries(built)) expect(uploaded[path]?.equals(bytes), path).toBe(true);
    expect(skill?.publishRequests[0]).toMatchObject({ slug: 'codex-orchestration', displayName: 'Codex Orchestration', version: '0.1.0', changelog: 'codex-orchestration 0.1.0', ownerHandle: registry.handle });
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('the same version again: a dry run checks here and asks no registry; the real run is refused in one line', async () => {
    const asked = registry.requests.length;
    const dry = await runMain(['publish', '--dry-run', '--registry', registry.url], { env: pub.env, cwd: pub.root });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/^would publish codex-orchestration 0\.1\.0 \(\d+ files, fingerprint [0-9a-f]{12}\) to \S+; checked here, nothing was uploaded and no registry was asked\n$/);
    expect(dry.stderr).toBe('');
    expect(registry.requests.length).toBe(asked);
    const result = await runMain(['publish', '--registry', registry.url], { env: pub.env, cwd: pub.root });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('orch-prompt: publish: clawhub failed: Version 0.1.0 already exists\n');
    expect(registry.skills.get('codex-orchestration')?.versions).toHaveLength(1);
  });

  it('clawhub search finds it by what its description says', async () => {
    const result = await clawhub(['search', 'parallel', 'workers'], pub);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^codex-orchestration v0\.1\.0 +@tester +Codex Orchestration +score /m);
  });

  it('clawhub install puts the build byte for byte into <workdir>/skills; it lints clean and clawhub list shows it', async () => {
    const b = box();
    const install = await clawhub(['install', 'codex-orchestration', '--workdir', b.workspace], b);
    expect(install.code, install.stderr).toBe(0);
    const dir = join(b.workspace, 'skills', 'codex-orchestration');
    const installed = filesIn(dir);
    // clawhub adds only its own records: `_meta.json` (from the registry's zip) and `.clawhub/origin.json`.
    expect(Object.keys(installed).sort()).toEqual([...Object.keys(built), '.clawhub/origin.json', '_meta.json'].sort());
    for (const [path, bytes] of Object.entries(built)) expect(installed[path]?.equals(bytes), path).toBe(true);
    const lint = await runMain(['lint', dir]);
    expect(lint.stdout + lint.stderr).toMatch(/no problems/);
    expect(lint.code).toBe(0);
    const list = await clawhub(['list', '--workdir', b.workspace], b);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toBe('codex-orchestration  0.1.0\n');
  });

  it('a folder placed by orch-prompt install --target openclaw: clawhub lists it, and neither install nor update overwrites it without saying so', async () => {
    const b = box();
    const place = await runMain(['install', '--target', 'openclaw', '--project'], { env: b.env, cwd: b.workspace });
    expect(place.code, place.stderr).toBe(0);
    const dir = join(b.workspace, 'skills', 'codex-orchestration');
    const before = filesIn(dir);
    expect(Object.keys(before).sort()).toEqual([...Object.keys(built), '.orch-install.json'].sort());

    // Three clawhub runs at once: none of them may change the folder (each takes seconds to start).
    const [list, install, updateAll] = await Promise.all([
      clawhub(['list', '--workdir', b.workspace], b),
      clawhub(['install', 'codex-orchestration', '--workdir', b.workspace], b),
      clawhub(['update', '--all', '--workdir', b.workspace], b),
    ]);
    expect(list.stdout).toBe('Manually installed (not tracked by clawhub):\n  codex-orchestration\n');
    // clawhub install refuses to overwrite it.
    expect(install.code).toBe(1);
    expect(install.stderr).toContain(`Already installed: ${dir} (use --force)`);
    // clawhub update --all updates only what its lock file tracks.
    expect(updateAll.code, updateAll.stderr).toBe(0);
    expect(updateAll.stdout).toBe('No installed skills.\n');
    expect(utf8(filesIn(dir))).toEqual(utf8(before));

    // Named explicitly, with a newer version published, clawhub replaces it and says so; the
    // replaced folder is then clawhub's, and orch-prompt refuses to touch it without --force.
    const newer = join(b.root, 'newer', 'codex-orchestration');
    cpSync(builtDir, newer, { recursive: true });
    writeFileSync(join(newer, 'references', 'patterns.md'), `${readFileSync(join(newer, 'references', 'patterns.md'), 'utf8')}\nA later edit.\n`);
    const second = await clawhub(['skill', 'publish', newer, '--slug', 'codex-orchestration', '--version', '0.2.0', '--changelog', 'later', '--no-input'], pub);
    expect(second.code, second.stderr).toBe(0);
    const update = await clawhub(['update', 'codex-orchestration', '--workdir', b.workspace], b);
    expect(update.code, update.stderr).toBe(0);
    expect(update.stdout).toContain('Updated codex-orchestration -> v0.2.0');
    const again = await runMain(['install', '--target', 'openclaw', '--project'], { env: b.env, cwd: b.workspace });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/not installed by orch-prompt; nothing was changed\. Pass --force/);
  });

  it('a folder placed by orch-prompt and then edited: clawhub update names the local changes and leaves it alone', async () => {
    const b = box();
    expect((await runMain(['install', '--target', 'openclaw', '--project'], { env: b.env, cwd: b.workspace })).code).toBe(0);
    const dir = join(b.workspace, 'skills', 'codex-orchestration');
    writeFileSync(join(dir, 'SKILL.md'), `${readFileSync(join(dir, 'SKILL.md'), 'utf8')}\nMy own note.\n`);
    const before = filesIn(dir);
    const update = await clawhub(['update', 'codex-orchestration', '--workdir', b.workspace], b);
    expect(update.code, update.stderr).toBe(0);
    expect(update.stdout).toBe('codex-orchestration: local changes (no match). Use --force to overwrite.\n');
    expect(utf8(filesIn(dir))).toEqual(utf8(before));
  });

  it('implements every route clawhub called', () => {
    expect(registry.unhandled).toEqual([]);
    const routes = new Set(registry.requests.map((r) => `${r.method} ${r.path.replace(/\/upload\/.*/, '/upload/:ticket').replace(/\/skills\/codex-orchestration/, '/skills/:slug')}`));
    for (const route of ['GET /api/v1/resolve', 'GET /api/v1/whoami', 'POST /api/v1/skills/-/upload-url', 'POST /upload/:ticket', 'POST /api/v1/skills', 'GET /api/v1/search', 'GET /api/v1/skills/:slug', 'GET /api/v1/download']) {
      expect(routes.has(route), route).toBe(true);
    }
  });
});

describe('orch-prompt publish, failures and dry runs', { timeout: 120_000 }, () => {
  it('without clawhub: one line saying how to get it, exit 1, nothing built or sent', async () => {
    const b = box({ withoutClawhub: true });
    const before = registry.requests.length;
    const result = await runMain(['publish'], { env: b.env, cwd: b.root });
    expect(result).toEqual({ code: 1, stdout: '', stderr: 'orch-prompt: publish: clawhub is not on PATH; install it with `npm install -g clawhub`, or set CLAWHUB_BIN to its path\n' });
    expect(registry.requests.length).toBe(before);
  });

  it('CLAWHUB_BIN naming no executable is refused, not replaced by another clawhub', async () => {
    const b = box();
    const result = await runMain(['publish'], { env: { ...b.env, CLAWHUB_BIN: join(b.root, 'nope') }, cwd: b.root });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`orch-prompt: publish: CLAWHUB_BIN is \`${join(b.root, 'nope')}\`, which is not an executable file; point it at the clawhub CLI, or unset it to use clawhub on PATH\n`);
  });

  it('not logged in: clawhub\'s reason, exit 1, nothing stored', async () => {
    const b = box();
    const result = await runMain(['publish', '--registry', registry.url, '--changelog', 'never'], { env: b.env, cwd: b.root });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('orch-prompt: publish: clawhub failed: Not logged in. Run: clawhub login\n');
    expect([...registry.skills.values()].flatMap((s) => s.versions).filter((v) => v.changelog === 'never')).toEqual([]);
  });

  it('--dry-run --format json: the would-publish report, offline, without clawhub even installed (a warning says publishing needs it)', async () => {
    const b = box();
    const asked = registry.requests.length;
    const started = Date.now();
    const result = await runMain(['publish', '--dry-run', '--format', 'json'], { env: { ...b.env, PATH: '/nonexistent', CLAWHUB_BIN: '', HTTPS_PROXY: 'http://127.0.0.1:9' }, cwd: b.root });
    expect(result.code, result.stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    const data = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(data).toMatchObject({ ok: true, status: 'would-publish', slug: 'codex-orchestration', version: '0.1.0', dryRun: true, files: Object.keys(built).sort(), fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/), clawhub: {} });
    expect(result.stderr).toMatch(/^orch-prompt: warning: publish: clawhub is not on PATH, and publishing needs it; /);
    expect(registry.requests.length).toBe(asked);
  });

  it('a clawhub that exits 0 but reports other files is a failure: the exit code alone proves nothing', async () => {
    const b = box();
    const fake = join(b.root, 'fake-clawhub');
    writeFileSync(fake, `#!${process.execPath}\nprocess.stdout.write(JSON.stringify({ ok: true, status: 'published', slug: 'codex-orchestration', version: '0.1.0', fileCount: 7, fingerprint: 'abc' }, null, 2) + '\\n');\n`);
    chmodSync(fake, 0o755);
    const result = await runMain(['publish', '--json'], { env: { ...b.env, CLAWHUB_BIN: fake }, cwd: b.root });
    expect(result.code).toBe(1);
    // --json: the result on stdout, the error as JSON on stderr.
    expect(JSON.parse(result.stderr)).toMatchObject({ error: { code: 'publish-failed', message: expect.stringMatching(/^clawhub reported 7 files, expected \d+; fingerprint "abc", expected [0-9a-f]{64} \(it did not see exactly the built files\)$/) } });
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, status: 'failed' });
  });
});

describe('orch-prompt doctor: clawhub', { timeout: 120_000 }, () => {
  const clawhubLine = (stdout: string) => stdout.split('\n').find((line) => /^(?:ok|problem) +clawhub /.test(line));

  it('not installed: says how to get it, and is not a problem for Codex', async () => {
    const b = box({ withoutClawhub: true });
    const result = await runMain(['doctor', '--format', 'json'], { env: b.env, cwd: b.workspace });
    const checks = (JSON.parse(result.stdout) as { checks: Array<{ id: string; ok: boolean; message: string }> }).checks;
    expect(checks.find((c) => c.id === 'clawhub')).toEqual({ id: 'clawhub', ok: true, message: 'clawhub not found (needed only for `orch-prompt publish`: install it with `npm install -g clawhub`, or set CLAWHUB_BIN to its path)' });
  });

  it('installed: its version, and whether it is logged in, never the token', async () => {
    const b = box();
    const check = (stdout: string) => (JSON.parse(stdout) as { checks: Array<{ id: string }> }).checks.find((c) => c.id === 'clawhub');
    const before = await runMain(['doctor', '--format', 'json'], { env: b.env, cwd: b.workspace });
    expect(check(before.stdout)).toEqual({ id: 'clawhub', ok: true, message: `clawhub 0.23.3 (${clawhubBin}), not logged in (run \`clawhub login\` before \`orch-prompt publish\`)` });
    await login(b);
    const text = await runMain(['doctor'], { env: b.env, cwd: b.workspace });
    expect(clawhubLine(text.stdout), text.stdout).toBe(`ok       clawhub 0.23.3 (${clawhubBin}), logged in as tester`);
    const json = await runMain(['doctor', '--format', 'json'], { env: b.env, cwd: b.workspace });
    expect(check(json.stdout)).toMatchObject({ ok: true, message: `clawhub 0.23.3 (${clawhubBin}), logged in as tester` });
    for (const output of [text.stdout, text.stderr, json.stdout, json.stderr]) expect(output).not.toContain(registry.token);
  });

  it('CLAWHUB_BIN naming no executable is a problem with a fix', async () => {
    const b = box();
    const result = await runMain(['doctor'], { env: { ...b.env, CLAWHUB_BIN: join(b.root, 'nope') }, cwd: b.workspace });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`problem  CLAWHUB_BIN is \`${join(b.root, 'nope')}\`, which is not an executable file; point it at the clawhub CLI, or unset it to use clawhub on PATH\n         fix: unset CLAWHUB_BIN, or set it to the clawhub executable\n`);
  });
});

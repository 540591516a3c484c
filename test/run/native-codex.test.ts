import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { workerProgram } from '../../src/run/local/native-codex.js';
import { fakeCodex, manifestOf, run, tempDir, worker } from './helpers.js';

// The platforms whose native binary the launcher of @openai/codex 0.169 starts with execve.
const platforms: Record<string, { pkg: string; triple: string }> = {
  'linux-x64': { pkg: '@openai/codex-linux-x64', triple: 'x86_64-unknown-linux-musl' },
  'linux-arm64': { pkg: '@openai/codex-linux-arm64', triple: 'aarch64-unknown-linux-musl' },
  'darwin-x64': { pkg: '@openai/codex-darwin-x64', triple: 'x86_64-apple-darwin' },
  'darwin-arm64': { pkg: '@openai/codex-darwin-arm64', triple: 'aarch64-apple-darwin' },
};
const platform = platforms[`${process.platform}-${process.arch}`];

interface FakeInstall {
  /** The project folder holding node_modules/. */
  dir: string;
  /** node_modules/.bin/codex, a link to the launcher, as npm makes it. */
  bin: string;
  /** The package root (real path), node_modules/@openai/codex. */
  root: string;
  /** The platform binary the launcher would start. */
  native: string;
  /** Each start appends `launcher` or `native <CODEX_MANAGED_BY_NPM> <CODEX_MANAGED_PACKAGE_ROOT>`. */
  log: string;
}

/** A shell script that notes which program ran, then behaves as codex (the fake one). */
const script = (line: string): string => `#!/bin/sh\necho ${line} >> "$WHICH_LOG"\nexec "${fakeCodex}" "$@"\n`;

/** An npm install of @openai/codex as npm lays it out, its launcher and binary notes-taking stand-ins. */
function fakeInstall(options: { name?: string; platformPackage?: boolean } = {}): FakeInstall {
  const { pkg, triple } = platform as { pkg: string; triple: string };
  const dir = realpathSync(tempDir());
  const modules = join(dir, 'node_modules');
  const root = join(modules, '@openai/codex');
  mkdirSync(join(root, 'bin'), { recursive: true });
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: options.name ?? '@openai/codex', version: '0.169.0', bin: { codex: 'bin/codex.js' }, type: 'module' }));
  writeFileSync(join(root, 'bin/codex.js'), script('launcher'), { mode: 0o755 });
  const vendor = options.platformPackage === false ? join(root, 'vendor') : join(modules, pkg, 'vendor');
  if (options.platformPackage !== false) {
    mkdirSync(join(modules, pkg), { recursive: true });
    writeFileSync(join(modules, pkg, 'package.json'), JSON.stringify({ name: pkg, version: '0.169.0' }));
  }
  const native = join(vendor, triple, 'bin/codex');
  mkdirSync(dirname(native), { recursive: true });
  writeFileSync(native, script('native "$CODEX_MANAGED_BY_NPM" "$CODEX_MANAGED_PACKAGE_ROOT"'), { mode: 0o755 });
  mkdirSync(join(modules, '.bin'));
  const bin = join(modules, '.bin/codex');
  symlinkSync('../@openai/codex/bin/codex.js', bin);
  return { dir, bin, root, native, log: join(dir, 'which.log') };
}

const env = (extra: Record<string, string> = {}): Record<string, string> => ({ PATH: '/usr/bin:/bin', HOME: '/home/u', ...extra });

describe.skipIf(platform === undefined)('the program a local worker starts', () => {
  test('the npm launcher of @openai/codex: its native binary, with the environment the launcher gives it', () => {
    const install = fakeInstall();
    const program = workerProgram(install.bin, env({ CODEX_MANAGED_BY_PNPM: '1', CODEX_MANAGED_PACKAGE_ROOT: '/elsewhere' }), join(install.dir, 'run'));
    expect(program.file).toBe(install.native);
    expect(program.env).toEqual({ ...env(), CODEX_MANAGED_BY_NPM: '1', CODEX_MANAGED_PACKAGE_ROOT: install.root });
  });

  test('`codex` found on the workers\' PATH, and a package that carries its binaries in its own vendor/', () => {
    const install = fakeInstall({ platformPackage: false });
    const path = `/nonexistent:${dirname(install.bin)}:/usr/bin`;
    expect(workerProgram('codex', env({ PATH: path }), join(install.dir, 'run')).file).toBe(install.native);
  });

  test('the same program, with the same environment, as the pinned launcher starts (an upgrade that changes what it does fails here)', () => {
    const install = fakeInstall();
    copyFileSync(fileURLToPath(new URL('../../node_modules/@openai/codex/bin/codex.js', import.meta.url)), join(install.root, 'bin/codex.js'));
    // The stand-in binary notes how it was started and with what environment.
    writeFileSync(install.native, `#!/bin/sh\nprintf '%s' "$0" > "$WHICH_LOG.file"\nenv -0 > "$WHICH_LOG"\n`, { mode: 0o755 });
    const given = env({ PATH: `${dirname(process.execPath)}:/usr/bin:/bin`, WHICH_LOG: install.log, CODEX_MANAGED_BY_PNPM: '1', CODEX_MANAGED_PACKAGE_ROOT: '/elsewhere' });
    execFileSync(install.bin, ['exec', '--help'], { env: given, cwd: install.dir });
    const program = workerProgram(install.bin, given, join(install.dir, 'run'));
    expect(program.file).toBe(readFileSync(`${install.log}.file`, 'utf8'));
    // What the shell adds by itself is left out.
    const started = Object.fromEntries(readFileSync(install.log, 'utf8').split('\0').filter(Boolean).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]).filter(([name]) => !['PWD', 'SHLVL', '_', 'OLDPWD'].includes(name as string)));
    expect(program.env).toEqual(started);
  });

  test('anything unexpected starts the configured program as it is', () => {
    const cases: Array<[string, (install: FakeInstall) => { configured?: string; env?: Record<string, string>; runDir?: string }]> = [
      ['a package of another name', () => ({})],
      ['no binary where the launcher looks', (i) => (rmSync(i.native), {})],
      ['a binary that may not be run', (i) => (chmodSync(i.native, 0o644), {})],
      ['pnpm manages it (the launcher would say so)', (i) => (writeFileSync(join(i.dir, 'node_modules/.modules.yaml'), ''), {})],
      ['Bun runs it', () => ({ env: env({ npm_config_user_agent: 'bun/1.2.0 npm/? node/v22' }) })],
      ['a program that is not the launcher', (i) => ({ configured: i.native })],
      ['a relative path', () => ({ configured: 'node_modules/.bin/codex' })],
      ['a PATH with a relative folder', () => ({ configured: 'codex', env: env({ PATH: 'node_modules/.bin:/usr/bin' }) })],
      ['a link inside the run folder', (i) => (mkdirSync(join(i.dir, 'run')), symlinkSync(i.bin, join(i.dir, 'run/codex')), { configured: join(i.dir, 'run/codex'), runDir: join(i.dir, 'run') })],
      ['a package inside the run folder', (i) => ({ runDir: i.dir })],
    ];
    for (const [what, arrange] of cases) {
      const install = fakeInstall(what === 'a package of another name' ? { name: 'codex-lookalike' } : {});
      const given = arrange(install);
      const workerEnv = given.env ?? env();
      const configured = given.configured ?? install.bin;
      expect(workerProgram(configured, workerEnv, given.runDir ?? join(install.dir, 'run')), what).toEqual({ file: configured, env: workerEnv });
    }
  });

  test('a run: the worker runs the native binary, and the manifest names the program the user gave', async () => {
    const install = fakeInstall();
    const runDir = join(install.dir, 'run');
    const result = await run(['scout', '--target', 'x', '--set', `codex-bin=${install.bin}`, '--run-dir', runDir], { cwd: install.dir, env: { WHICH_LOG: install.log } });
    expect(result.code).toBe(0);
    expect(readFileSync(install.log, 'utf8')).toBe(`native 1 ${install.root}\n`);
    expect(worker(manifestOf(runDir), 'scout').command[0]).toBe(install.bin);
  });

  test('a run where the layout is not the expected one: the worker runs the launcher', async () => {
    const install = fakeInstall();
    writeFileSync(join(install.dir, 'node_modules/.modules.yaml'), '');
    const result = await run(['scout', '--target', 'x', '--set', `codex-bin=${install.bin}`, '--run-dir', join(install.dir, 'run')], { cwd: install.dir, env: { WHICH_LOG: install.log } });
    expect(result.code).toBe(0);
    expect(readFileSync(install.log, 'utf8')).toBe('launcher\n');
  });
});

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isUpToDate } from '../../scripts/build-stamp.mjs';
import { makeCodexHome, startMockModel } from './mock-model.js';

/**
 * Before the run: give the whole run its own temporary root (`TMPDIR`, inherited by the test
 * workers and every process they start), then build what users run: the CLI bundles and the
 * library (`dist/lib` + typings), so that process-level tests and the package entry point test
 * exercise the real artefacts (unless the last full build was made from the sources as they are).
 *
 * The run also gets its own state folder (the key that seals run records) and its own Codex home
 * (a loopback model), both beside the root, so that nothing of the user's is read or written.
 *
 * After the run: the root is removed, so nothing is left behind even when a test leaks; a test
 * that leaks is still named (the run fails), because tests clean up after themselves.
 *
 * `ORCH_TEST_GIT_ABOVE=1` puts the root inside a git work tree (`git init` in its parent), and
 * `ORCH_TEST_GIT_ABOVE=folder` below a bare `.git` folder that is no repository (a stray one):
 * the suite must pass in both, since users' temporary folders may sit below either.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const base = mkdtempSync(join(tmpdir(), 'orch-test-'));
  let root = base;
  const gitAbove = process.env['ORCH_TEST_GIT_ABOVE'];
  if (gitAbove === '1' || gitAbove === 'folder') {
    if (gitAbove === '1') execFileSync('git', ['init', '--quiet', base]);
    else mkdirSync(join(base, '.git'));
    root = join(base, 'tmp');
    mkdirSync(root);
  }
  // The variables set for the run, and what they were before (restored at the end).
  const previousEnv = new Map<string, string | undefined>();
  const setEnv = (name: string, value: string): void => {
    if (!previousEnv.has(name)) previousEnv.set(name, process.env[name]);
    process.env[name] = value;
  };
  // This user's run key (the seal of run records) lives in the state folder: the run's own,
  // beside the temporary root (not in it: tests must leave that empty).
  const state = mkdtempSync(join(tmpdir(), 'orch-test-state-'));
  setEnv('XDG_STATE_HOME', state);
  // What the tests make once per run and copy (template git repositories), beside the root too.
  const cache = mkdtempSync(join(tmpdir(), 'orch-test-cache-'));
  setEnv('ORCH_TEST_CACHE', cache);
  // Node 22 and later keep compiled modules where NODE_COMPILE_CACHE says (vitest turns the
  // cache on, else in TMPDIR, the root tests must leave empty): in the run's cache folder, for
  // every process the tests start.
  setEnv('NODE_COMPILE_CACHE', join(cache, 'node-compile-cache'));
  // The Codex home every test sees unless it makes its own: a loopback model, so that nothing
  // reads the user's ~/.codex, and the runner's endpoint check finds a model that answers.
  const model = await startMockModel();
  const codexHome = makeCodexHome(model);
  setEnv('CODEX_HOME', codexHome.home);
  setEnv('ORCH_MOCK_API_KEY', 'test-key');
  setEnv('TMPDIR', root);

  // Built once per run, and only when the sources changed since the last full build (`npm ci`
  // builds through `prepare`; a second run, another Node version, finds it done).
  const packageRoot = fileURLToPath(new URL('../..', import.meta.url));
  if (!isUpToDate(packageRoot)) execFileSync(process.execPath, [join(packageRoot, 'scripts', 'build.mjs')], { stdio: 'inherit' });

  return async () => {
    for (const [name, value] of previousEnv) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    codexHome.cleanup();
    await model.close();
    const left = readdirSync(root).sort();
    rmSync(base, { recursive: true, force: true, maxRetries: 3 });
    rmSync(state, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
    if (left.length > 0) {
      process.stderr.write(`\nTests left ${left.length} entries in their temporary folder (removed now): ${left.join(', ')}\n`);
      process.exitCode = 1;
    }
  };
}

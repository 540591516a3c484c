import { existsSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, delimiter, dirname, isAbsolute, join, parse } from 'node:path';
import { findOnPath, isExecutableFile } from '../../fs/find-on-path.js';
import { realpathOr } from '../../fs/link-target.js';
import { isInside } from '../../fs/path-inside.js';
import { readTextBounded } from '../../fs/read-bounded.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The process a worker's attempt starts: the program and its environment. */
export interface WorkerProgram {
  file: string;
  env: Env;
}

// What the launcher of @openai/codex 0.169 (bin/codex.js) starts on each platform it execs on.
const targets: Readonly<Record<string, { triple: string; pkg: string }>> = {
  'linux-x64': { triple: 'x86_64-unknown-linux-musl', pkg: '@openai/codex-linux-x64' },
  'linux-arm64': { triple: 'aarch64-unknown-linux-musl', pkg: '@openai/codex-linux-arm64' },
  'android-x64': { triple: 'x86_64-unknown-linux-musl', pkg: '@openai/codex-linux-x64' },
  'android-arm64': { triple: 'aarch64-unknown-linux-musl', pkg: '@openai/codex-linux-arm64' },
  'darwin-x64': { triple: 'x86_64-apple-darwin', pkg: '@openai/codex-darwin-x64' },
  'darwin-arm64': { triple: 'aarch64-apple-darwin', pkg: '@openai/codex-darwin-arm64' },
};

const managedBy = ['CODEX_MANAGED_BY_NPM', 'CODEX_MANAGED_BY_BUN', 'CODEX_MANAGED_BY_PNPM', 'CODEX_MANAGED_BY_VITE_PLUS'];

/**
 * What a worker's attempt starts for the configured codex program `configured` (this
 * invocation's `codex-bin`, or the sealed run's on a resume; never anything a project or a run
 * folder says). When it is the Node launcher of the npm package `@openai/codex`
 * (`node_modules/.bin/codex`), the native binary that launcher would start, with the environment
 * it would give it: each worker is then spared a Node start (and on Node before 23.11 a second
 * process that stays alive forwarding signals). Anything else, or anything unexpected on the way
 * (another layout, another package manager, a path inside the run folder `runDir`), starts
 * `configured` as it is, as `exec` would.
 */
export function workerProgram(configured: string, env: Env, runDir: string): WorkerProgram {
  try {
    return nativeCodex(configured, env, runDir) ?? { file: configured, env };
  } catch {
    return { file: configured, env };
  }
}

function nativeCodex(configured: string, env: Env, runDir: string): WorkerProgram | null {
  const target = targets[`${process.platform}-${process.arch}`];
  if (target === undefined) return null; // elsewhere (Windows) the launcher does its own work
  const invoked = locate(configured, env);
  if (invoked === undefined || isInside(invoked, runDir)) return null;
  // The launcher resolves itself (and so its package) through every link on the way.
  const launcher = realpathSync(invoked);
  if (basename(launcher) !== 'codex.js' || basename(dirname(launcher)) !== 'bin') return null;
  const root = dirname(dirname(launcher));
  const manifest = JSON.parse(readTextBounded(join(root, 'package.json'), { maxBytes: 64 * 1024 })) as { name?: unknown; bin?: unknown };
  const bin = manifest.bin as Record<string, unknown> | undefined;
  if (manifest.name !== '@openai/codex' || typeof bin !== 'object' || bin === null || bin['codex'] !== 'bin/codex.js') return null;
  const binary = join(vendorRoot(launcher, root, target.pkg), target.triple, 'bin', 'codex');
  if (!isExecutableFile(binary)) return null;
  const realRun = realpathOr(runDir);
  if ([launcher, binary, realpathSync(binary)].some((path) => isInside(path, runDir) || isInside(path, realRun))) return null;
  if (!managedByNpm(root, dirname(invoked), launcher, env)) return null;
  const out: Record<string, string | undefined> = { ...env, CODEX_MANAGED_PACKAGE_ROOT: root };
  for (const name of managedBy) delete out[name];
  out['CODEX_MANAGED_BY_NPM'] = '1';
  return { file: binary, env: out };
}

/**
 * The file `exec` would run for `configured`: an absolute path as it is, a bare name looked up on
 * the workers' PATH. A relative path, or a PATH with a relative entry (resolved against the
 * worker's folder by `exec`), is left to `exec`.
 */
function locate(configured: string, env: Env): string | undefined {
  if (configured.includes('/')) return isAbsolute(configured) && isExecutableFile(configured) ? configured : undefined;
  if ((env['PATH'] ?? '').split(delimiter).some((dir) => !isAbsolute(dir))) return undefined;
  return findOnPath(configured, env);
}

/** Where the launcher looks for the platform binaries: the platform package, else its own `vendor/`. */
function vendorRoot(launcher: string, root: string, pkg: string): string {
  try {
    return join(dirname(createRequire(launcher).resolve(`${pkg}/package.json`)), 'vendor');
  } catch {
    return join(root, 'vendor');
  }
}

/**
 * Whether the launcher would say npm manages this Codex (`CODEX_MANAGED_BY_NPM`, which it also
 * sets when it finds no package manager). Any trace of another one it recognises (pnpm's
 * `node_modules/.modules.yaml`, a Vite+ `packages/@openai/codex.json`, Bun) leaves the start to
 * the launcher, which tells them apart.
 */
function managedByNpm(root: string, entryDir: string, launcher: string, env: Env): boolean {
  for (const start of new Set([root, entryDir])) {
    const top = parse(start).root;
    for (let dir = start; dir !== top; dir = dirname(dir)) {
      if (basename(dir) === 'packages' && existsSync(join(dir, '@openai', 'codex.json'))) return false;
      if (existsSync(join(dir, 'node_modules', '.modules.yaml'))) return false;
    }
    if (existsSync(join(top, 'node_modules', '.modules.yaml'))) return false;
  }
  const bun = /\bbun\//.test(env['npm_config_user_agent'] ?? '') || (env['npm_execpath'] ?? '').includes('bun') || /\.bun[\\/]install[\\/]global/.test(dirname(launcher));
  return !bun;
}

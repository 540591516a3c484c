import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { skillPackageRoot } from './sources.js';
import { UserError } from '../errors/index.js';

/** Where `scripts/build.mjs` writes the single-file CLI that becomes the skill's script. */
export function bundledCliPath(): string {
  return join(skillPackageRoot(), 'dist', 'orch-prompt.mjs');
}

/**
 * The single-file CLI for the skill's `scripts/orch-prompt.mjs`. It is the file the package build
 * (`npm run build`, run by `npm install` through `prepare`) writes; in a checkout where it is
 * missing, the bundle is built first (esbuild, about two seconds). It is never rebuilt when it
 * exists, so `build` stays fast and `build --check` never needs it.
 */
export function readBundledCli(): Uint8Array {
  const path = bundledCliPath();
  if (!existsSync(path)) {
    const buildScript = join(skillPackageRoot(), 'scripts', 'build.mjs');
    if (!existsSync(buildScript)) throw new UserError('skill-package-missing', `${path} is missing: reinstall the codex-orchestration package`);
    execFileSync(process.execPath, [buildScript, '--bundle-only'], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return readFileSync(path);
}

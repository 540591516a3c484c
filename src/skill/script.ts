import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readFolder, skillPackageRoot } from './sources.js';
import type { SkillFile } from './skill-files.js';
import { skillRuntimeDir, skillScriptPath } from './skill-name.js';
import { UserError } from '../errors/index.js';

/** Where `scripts/build.mjs` writes the skill's `scripts/orch-prompt.mjs`; its runtime folder is beside it. */
export function bundledCliPath(): string {
  return join(skillPackageRoot(), 'dist', 'orch-prompt.mjs');
}

/**
 * The CLI as the skill ships it: `scripts/orch-prompt.mjs` and the runtime folder it starts,
 * `scripts/orch-prompt/` (the prompt script with its code cache, and the code-split CLI; see
 * `src/cli/start.ts`). They are what the package build (`npm run build`, run by `npm install`
 * through `prepare`) writes into `dist/`; in a checkout where they are missing, they are built
 * first (esbuild, a few seconds). They are never rebuilt when they exist, so `build` stays fast
 * and `build --check` never needs them.
 */
export function readBundledCli(): SkillFile[] {
  const path = bundledCliPath();
  const runtime = join(path, '..', 'orch-prompt');
  if (!existsSync(path) || !existsSync(runtime)) {
    const buildScript = join(skillPackageRoot(), 'scripts', 'build.mjs');
    if (!existsSync(buildScript)) throw new UserError('skill-package-missing', `${path} is missing: reinstall the codex-orchestration package`);
    execFileSync(process.execPath, [buildScript, '--bundle-only'], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return [
    { path: skillScriptPath, content: readFileSync(path), executable: true },
    ...readFolder(runtime).map((file) => ({ ...file, path: `${skillRuntimeDir}/${file.path}` })),
  ];
}

import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Build what users run: the CLI bundles and the library (`dist/lib` + typings), so that
 * process-level tests and the package entry point test exercise the real artefacts.
 */
export default function setup(): void {
  const script = fileURLToPath(new URL('../../scripts/build.mjs', import.meta.url));
  execFileSync(process.execPath, [script], { stdio: 'inherit' });
}

import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Build the CLI bundle (not the typings) so process-level tests run what users run. */
export default function setup(): void {
  const script = fileURLToPath(new URL('../../scripts/build.mjs', import.meta.url));
  execFileSync(process.execPath, [script, '--bundle-only'], { stdio: 'inherit' });
}

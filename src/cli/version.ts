import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../templates/package-root.js';

// Replaced by the build with the version from package.json.
declare const __ORCH_VERSION__: string | undefined;

/** The package version. */
export function version(): string {
  if (typeof __ORCH_VERSION__ === 'string') return __ORCH_VERSION__;
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

// `npm run bench`: run every bench/*.bench.mjs (or the ones named: `npm run bench -- startup`).
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort();
// The bundles are enough, except for the worktree bench, which times the library's own steps.
const libraryNeeded = files.includes('worktree.bench.mjs');
execFileSync(process.execPath, [join(here, '../scripts/build.mjs'), ...(libraryNeeded ? [] : ['--bundle-only'])], { stdio: 'inherit' });
console.log(`node ${process.version}, ${files.length} benchmark(s)`);
for (const file of files) await import(pathToFileURL(join(here, file)).href);

// What a full build of scripts/build.mjs was made from, and what it wrote: a hash of each.
// The build writes the stamp; the test suite's global setup skips its build when the sources
// and the built files are still those of the stamp (`npm ci` has just built them, or a second
// test run follows the first), and builds when anything differs.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** What the build reads. */
const inputs = ['src', 'templates', 'scripts/build.mjs', 'package.json', 'package-lock.json', 'tsconfig.json'];
/** What a full build writes. */
const outputs = ['dist/orch-prompt', 'dist/orch-prompt.mjs', 'dist/lib', 'dist/types'];

/** Where the stamp lives: beside the installed dependencies, never in what the package ships. */
export function stampPath(root) {
  return join(root, 'node_modules', '.cache', 'codex-orchestration', 'build-stamp.json');
}

/** The hash of each path's files (names and bytes, in a fixed order); null when one is missing. */
function hashOf(root, paths) {
  const hash = createHash('sha256');
  for (const path of paths) {
    const full = join(root, path);
    if (!existsSync(full)) return null;
    for (const file of filesUnder(full)) {
      hash.update(`${relative(root, file)}\0`);
      hash.update(readFileSync(file));
      hash.update('\0');
    }
  }
  return hash.digest('hex');
}

function filesUnder(path) {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

function current(root) {
  return { inputs: hashOf(root, inputs), outputs: hashOf(root, outputs) };
}

/** Record that the built files were just made from the sources as they are now. */
export function writeStamp(root) {
  const path = stampPath(root);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(current(root))}\n`);
}

/** Whether the built files are those a full build made from the sources as they are now. */
export function isUpToDate(root) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(stampPath(root), 'utf8'));
  } catch {
    return false;
  }
  const now = current(root);
  return now.inputs !== null && now.outputs !== null && stamp.inputs === now.inputs && stamp.outputs === now.outputs;
}

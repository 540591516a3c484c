#!/usr/bin/env node
// Build the package:
//   dist/cli/orch-prompt.mjs  the CLI, code-split, built-in templates precompiled (the bin)
//   dist/orch-prompt.mjs      the same CLI as one self-contained file (the skill's script)
//   dist/lib/      the library (tsc), with declarations in dist/types/
// A full build stamps what it was made from (scripts/build-stamp.mjs): the tests skip their
// build while the sources and the built files are unchanged.
// Usage: node scripts/build.mjs [--bundle-only]
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { execFileSync } from 'node:child_process';
import * as esbuild from 'esbuild';
import { writeStamp } from './build-stamp.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const bundleOnly = process.argv.includes('--bundle-only');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

// ESM bundles of CommonJS dependencies (ajv) need a `require`.
const banner = "import { createRequire as __orchCreateRequire } from 'node:module';\nconst require = __orchCreateRequire(import.meta.url);";

/** Parse templates/ once, with the project's own loader, and return them as JSON. */
async function precompileTemplates() {
  const scratch = mkdtempSync(join(tmpdir(), 'orch-build-'));
  try {
    const outfile = join(scratch, 'load.mjs');
    await esbuild.build({
      stdin: {
        contents: "export { loadTemplates } from './src/templates/load.ts'; export { freezeTemplates } from './src/templates/freeze.ts';",
        resolveDir: root,
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile,
      banner: { js: banner },
      logLevel: 'error',
    });
    const { loadTemplates, freezeTemplates } = await import(pathToFileURL(outfile).href);
    const { overrides: _o, problems: _p, ...loaded } = loadTemplates([join(root, 'templates')], { builtins: false, strict: true });
    const set = freezeTemplates(loaded);
    // Sources are stable, machine-independent names.
    const rename = (t) => ({ ...t, source: `builtin:${t.source.slice(t.source.lastIndexOf('templates/'))}` });
    set.preamble = rename(set.preamble);
    set.contextPack = rename(set.contextPack);
    for (const key of Object.keys(set.roles)) set.roles[key] = rename(set.roles[key]);
    for (const key of Object.keys(set.lenses)) set.lenses[key] = rename(set.lenses[key]);
    return JSON.stringify(set);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Replace the disk-reading built-in loader with the precompiled set. */
function precompiledBuiltins(json) {
  return {
    name: 'precompiled-builtins',
    setup(build) {
      build.onLoad({ filter: /[\\/]src[\\/]templates[\\/]builtin-set\.ts$/ }, () => ({
        loader: 'js',
        contents: `const set = JSON.parse(${JSON.stringify(json)});\nexport function builtinTemplates() { return set; }\n`,
      }));
    },
  };
}

const json = await precompileTemplates();
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  banner: { js: `#!/usr/bin/env node\n${banner}` },
  define: { __ORCH_VERSION__: JSON.stringify(pkg.version) },
  plugins: [precompiledBuiltins(json)],
  // Prefer packages' ESM builds: some CommonJS builds (jsonc-parser's UMD) load files dynamically.
  mainFields: ['module', 'main'],
  minify: true,
  legalComments: 'none',
  logLevel: 'error',
};
// The package CLI: code-split, so that printing a prompt loads only what that needs
// (startup is what an agent calling it dozens of times feels).
// Built beside, then swapped in: a test run or a CLI call in progress never sees half a build.
const staging = join(root, `dist/.cli-${process.pid}`);
await esbuild.build({
  ...common,
  entryPoints: { 'orch-prompt': join(root, 'src/cli/entry.ts') },
  outdir: staging,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
});
swapIn(staging, join(root, 'dist/cli'));
// The same CLI as one self-contained file, for the skill's scripts/orch-prompt.mjs.
const single = join(root, `dist/.orch-prompt-${process.pid}.mjs`);
await esbuild.build({ ...common, entryPoints: [join(root, 'src/cli/entry.ts')], outfile: single });
renameSync(single, join(root, 'dist/orch-prompt.mjs'));

if (!bundleOnly) {
  const lib = join(root, `dist/.lib-${process.pid}`);
  const types = join(root, `dist/.types-${process.pid}`);
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.json'), '--outDir', lib, '--declarationDir', types], { stdio: 'inherit' });
  swapIn(lib, join(root, 'dist/lib'));
  swapIn(types, join(root, 'dist/types'));
  writeStamp(root);
}

/** Replace a folder by a freshly built one with two renames. */
function swapIn(fresh, target) {
  const retiredDir = `${fresh}-old`;
  if (existsSync(target)) renameSync(target, retiredDir);
  renameSync(fresh, target);
  rmSync(retiredDir, { recursive: true, force: true });
}

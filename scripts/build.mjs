#!/usr/bin/env node
// Build the package:
//   dist/orch-prompt/          the CLI's runtime, started by src/cli/start.ts (see there):
//     cli/orch-prompt.mjs        the CLI as ES modules, code-split, built-in templates precompiled
//     prompt.cjs                 the CLI without its subcommands as one script, with V8's code
//                                cache for it in a closing comment; built-in templates only
//     prompt-full.cjs            the same, with the readers of template folders and context packs
//     start.cjs                  chooses one of the two
//   dist/orch-prompt.mjs       the skill's scripts/orch-prompt.mjs (starts ./orch-prompt/)
//   dist/lib/      the library (tsc), with declarations in dist/types/
// The package's bin (bin/orch-prompt.cjs) starts dist/orch-prompt/ too.
// A full build stamps what it was made from (scripts/build-stamp.mjs): the tests skip their
// build while the sources and the built files are unchanged.
// Usage: node scripts/build.mjs [--bundle-only]
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
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

// Run the prompt script as start.cjs runs it, printing a prompt, then save V8's code cache for it.
// V8 keeps the file name a cache was made under (stack traces name it), so it is made under a
// name that holds wherever the runtime folder goes: orch-prompt/prompt.cjs, not the build's path.
const warmUp = `
const { readFileSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { pathToFileURL } = require('node:url');
const { Script } = require('node:vm');
const [file, name, cache, ...args] = process.argv.slice(1);
const script = new Script(readFileSync(file, 'latin1'), { filename: name });
process.argv = [process.execPath, file, ...args];
process.on('exit', () => writeFileSync(cache, script.createCachedData()));
script.runInThisContext()(createRequire(file), pathToFileURL(file).href);
`;

// Compile the prompt script with its cache as start.cjs does, and say whether V8 took the cache.
const cacheCheck = `
const { readFileSync } = require('node:fs');
const { Script } = require('node:vm');
const file = process.argv[1];
const text = readFileSync(file, 'latin1');
const at = text.indexOf('\\n//# orch-v8-cache ');
const data = text.slice(at).trim().split(' ')[4];
const script = new Script(text.slice(0, at), { filename: file, cachedData: Buffer.from(data, 'base64') });
process.stdout.write(script.cachedDataRejected ? 'rejected' : 'accepted');
`;

// The skill's scripts/orch-prompt.mjs: the file name the skill documents, so an ES module; it
// starts the runtime folder beside it. No static import: Node starts an ES module that imports
// builtins measurably slower (process.getBuiltinModule and import.meta.dirname are in Node
// 20.16 and 20.11; older ones import).
const skillEntry = `#!/usr/bin/env node
// orch-prompt, the CLI of codex-orchestration: starts the runtime in ./orch-prompt/ (see its start.cjs).
const { createRequire } = process.getBuiltinModule?.('node:module') ?? (await import('node:module'));
const here = import.meta.dirname ?? (await import('node:url')).fileURLToPath(new URL('.', import.meta.url));
const dir = \`\${here}/orch-prompt/\`;
createRequire(import.meta.url)('./orch-prompt/start.cjs').startCli(dir)?.catch((error) => {
  process.stderr.write(\`orch-prompt: \${dir} is incomplete (\${error?.message ?? error}): install the skill again\\n\`);
  process.exitCode = 1;
});
`;

/**
 * Build the entity table of decode-named-character-reference on first use. The Markdown writer
 * imports it (to decode `&amp;` in link labels), so every start would evaluate 2,231 entities
 * and carry their code in the prompt script's cache; almost no prompt ever decodes one.
 */
const lazyEntities = {
  name: 'lazy-entities',
  setup(build) {
    build.onLoad({ filter: /[\\/]decode-named-character-reference[\\/]index\.js$/ }, () => ({
      loader: 'js',
      contents: `let entities;
const own = {}.hasOwnProperty;
export function decodeNamedCharacterReference(value) {
  entities ??= require('character-entities').characterEntities;
  return own.call(entities, value) ? entities[value] : false;
}
`,
    }));
  },
};

/**
 * gray-matter's js-yaml, replaced by a stub: every engine gray-matter ships is replaced by one
 * that parses nothing (src/markdown/frontmatter.ts), yet loading gray-matter would load js-yaml
 * and, through its `!!js` types, the esprima parser (about 10 ms of every start that reads a
 * template). The stub has the two functions gray-matter binds when it loads.
 */
const noJsYaml = {
  name: 'no-js-yaml',
  setup(build) {
    build.onResolve({ filter: /^js-yaml$/ }, (args) => (/[\\/]gray-matter[\\/]/.test(args.importer) ? { path: 'js-yaml', namespace: 'no-js-yaml' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'no-js-yaml' }, () => ({
      loader: 'js',
      contents: "const unused = () => { throw new Error('gray-matter parses nothing here: see src/markdown/frontmatter.ts'); };\nmodule.exports = { safeLoad: unused, safeDump: unused };\n",
    }));
  },
};

const json = await precompileTemplates();
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  banner: { js: `#!/usr/bin/env node\n${banner}` },
  define: { __ORCH_VERSION__: JSON.stringify(pkg.version) },
  plugins: [precompiledBuiltins(json), lazyEntities, noJsYaml],
  // Prefer packages' ESM builds: some CommonJS builds (jsonc-parser's UMD) load files dynamically.
  mainFields: ['module', 'main'],
  minify: true,
  legalComments: 'none',
  logLevel: 'error',
};
// Built beside, then swapped in: a test run or a CLI call in progress never sees half a build.
const staging = join(root, `dist/.orch-prompt-${process.pid}`);
// The CLI as ES modules, code-split, so that each command loads only what it needs.
await esbuild.build({
  ...common,
  entryPoints: { 'orch-prompt': join(root, 'src/cli/entry.ts') },
  outdir: join(staging, 'cli'),
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
});
await buildPromptScript(join(staging, 'prompt.cjs'), { templateFiles: false });
await buildPromptScript(join(staging, 'prompt-full.cjs'), { templateFiles: true });
await esbuild.build({ ...common, format: 'cjs', banner: {}, entryPoints: [join(root, 'src/cli/start.ts')], outfile: join(staging, 'start.cjs') });
swapIn(staging, join(root, 'dist/orch-prompt'));
const entry = join(root, `dist/.orch-prompt-${process.pid}.mjs`);
writeFileSync(entry, skillEntry, { mode: 0o755 });
renameSync(entry, join(root, 'dist/orch-prompt.mjs'));
rmSync(join(root, 'dist/cli'), { recursive: true, force: true }); // the layout before dist/orch-prompt/

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

/**
 * The CLI without its subcommands (each needs the code-split CLI, which start.cjs runs
 * instead) as one script: a function of `require` and the script's URL, for `vm.Script`.
 * Without `templateFiles`, the readers of template folders and context-pack files are left out
 * too (start.cjs runs prompt-full.cjs for a call that may read one, see src/cli/start.ts).
 * Then V8's code cache for it, made by running it once to print a prompt (so that the code
 * printing one is compiled too; for the full script, from this package's templates read as a
 * template folder), appended as a comment.
 */
async function buildPromptScript(file, { templateFiles }) {
  const name = basename(file);
  const stub = (message) => ({ contents: `throw new Error(${JSON.stringify(message)});`, loader: 'js' });
  const leftOut = {
    name: 'left-out',
    setup(build) {
      build.onResolve({ filter: /^\.\.?\/[a-z/-]+\.js$/ }, (args) => {
        if (args.kind !== 'dynamic-import') return undefined;
        if (/[\\/]src[\\/]cli[\\/]commands[\\/]index\.ts$/.test(args.importer)) return { path: args.path, namespace: 'command-stub' };
        if (!templateFiles && /\/(templates\/load|prompt\/context-pack-file)\.js$/.test(args.path)) return { path: args.path, namespace: 'reader-stub' };
        return undefined;
      });
      build.onLoad({ filter: /.*/, namespace: 'command-stub' }, () => stub(`subcommands run in the code-split CLI, not in ${name}`));
      build.onLoad({ filter: /.*/, namespace: 'reader-stub' }, () => stub(`${name} reads no template files: start.cjs runs prompt-full.cjs for a call that may`));
    },
  };
  await esbuild.build({
    ...common,
    format: 'iife',
    banner: { js: '(function (require, __orchUrl) {' },
    footer: { js: '})' },
    define: { ...common.define, 'import.meta.url': '__orchUrl' },
    plugins: [...common.plugins, leftOut],
    entryPoints: [join(root, 'src/cli/entry.ts')],
    outfile: file,
  });
  const source = readFileSync(file, 'latin1');
  if (/[^\x00-\x7f]/.test(source)) throw new Error(`${file} is not ASCII: start.cjs reads it as Latin-1`);
  if (/\bimport\(/.test(source)) throw new Error(`${file} imports a module at run time, which vm.Script cannot`);
  if (source.includes('\n//# orch-v8-cache ')) throw new Error(`${file} holds the code-cache marker: start.cjs would cut the script there`);
  const scratch = mkdtempSync(join(tmpdir(), 'orch-code-cache-'));
  try {
    const cache = join(scratch, 'cache');
    const prompt = ['reviewer', '--lens', 'risks', '--artefact', 'src/', ...(templateFiles ? ['--templates', join(root, 'templates')] : [])];
    // Its notices (the folder's templates replace the built-ins) are no news: shown only on failure.
    execFileSync(process.execPath, ['-e', warmUp, file, `orch-prompt/${name}`, cache, ...prompt], { cwd: scratch, stdio: ['ignore', 'ignore', 'pipe'] });
    writeFileSync(file, `${source}\n//# orch-v8-cache ${process.version} ${process.arch} ${readFileSync(cache).toString('base64')}\n`, 'latin1');
    // A cache V8 refuses would only make every start slower: check it as start.cjs reads it.
    const accepted = execFileSync(process.execPath, ['-e', cacheCheck, file], { encoding: 'utf8' }).trim();
    if (accepted !== 'accepted') throw new Error(`V8 refuses the code cache of ${file}: ${accepted}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

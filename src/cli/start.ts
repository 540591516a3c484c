import { readFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Script } from 'node:vm';
import { projectTemplatesDir, projectTemplatesFolder } from '../templates/project-templates.js';
import { reservedNames } from '../templates/reserved-names.js';

/**
 * How `orch-prompt` starts (the package's bin and the skill's `scripts/orch-prompt.mjs` both
 * call {@link startCli} on the runtime folder that `scripts/build.mjs` writes):
 *
 * - `prompt.cjs`: the CLI without its subcommands, as one script, followed by a comment that
 *   holds V8's code cache for it (`//# orch-v8-cache NODE ARCH BASE64`), made by the build with
 *   the Node that built it. With the cache, V8 skips compiling the script: printing a prompt,
 *   `--help` and `--version`, what an agent runs dozens of times, start about as fast as
 *   `node` itself. It knows the built-in templates only: it carries no Markdown or YAML reader.
 * - `prompt-full.cjs`: the same with those readers, for a call that may read template files
 *   (see {@link mayReadTemplateFiles}). Every byte of a script costs its start (reading it,
 *   V8 taking its cache): the readers are three fifths of it.
 * - `cli/`: the whole CLI as ES modules, split so that each command loads only its own code.
 *   It runs every subcommand, and everything when the cache was made by another Node.
 *
 * The cache is in the script's own file, generated with it: there is no separate data file to
 * swap, and a copy of the runtime folder carries it whole. V8 refuses a cache that does not
 * fit the source or itself (its version, its flags) and then compiles the source: the cache
 * can make a start faster, never change what runs.
 */
export function startCli(dir: string): Promise<unknown> | undefined {
  const [first, second] = process.argv.slice(2);
  const command = isCommand(first) || (first === 'help' && isCommand(second));
  const prompt = command ? undefined : readPromptScript(join(dir, promptScriptFor(process.argv.slice(2))));
  const run = prompt && compile(prompt);
  if (!prompt || !run) {
    keepCompiledModules();
    return import(pathToFileURL(join(dir, cliEntry)).href);
  }
  run(nodeModule.createRequire(prompt.file), pathToFileURL(prompt.file).href);
  return undefined;
}

/**
 * Node 22.1 and later keep the code they compile for modules on disk (`NODE_COMPILE_CACHE`, else
 * `node-compile-cache` in the temporary folder), so that the code-split CLI's chunks are not
 * compiled again at every start (a `run` of eight workers on Node 24: 180 -> 150 ms before the
 * first worker). Node 20 has no such cache; a folder that cannot be written leaves it off.
 */
function keepCompiledModules(): void {
  try {
    (nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
  } catch {
    // no cache: the modules are compiled as before
  }
}

/** The prompt script as a function; undefined when it does not compile (a damaged copy). */
function compile(prompt: PromptScript): ((require: NodeJS.Require, url: string) => void) | undefined {
  try {
    return new Script(prompt.source, { filename: prompt.file, cachedData: prompt.cachedData }).runInThisContext() as (require: NodeJS.Require, url: string) => void;
  } catch {
    return undefined;
  }
}

interface PromptScript {
  file: string;
  source: string;
  cachedData: Buffer;
}

/** The prompt script's file name in the runtime folder. */
export const promptScript = 'prompt.cjs';

/** The prompt script that reads template folders and context-pack files too. */
export const fullPromptScript = 'prompt-full.cjs';

/** The code-split CLI's entry in the runtime folder. */
export const cliEntry = 'cli/orch-prompt.mjs';

/** What starts the comment that carries the code cache, at the end of the prompt script. */
export const codeCacheMarker = '\n//# orch-v8-cache ';

const commands: readonly string[] = reservedNames.filter((name) => name !== 'help');

function isCommand(name: string | undefined): boolean {
  return name !== undefined && commands.includes(name);
}

/** The prompt script that can run `args`: the full one when in doubt (no current folder). */
function promptScriptFor(args: readonly string[]): string {
  if (args[0] === '--version' || args[0] === '-v') return promptScript;
  try {
    return mayReadTemplateFiles(args, process.cwd()) ? fullPromptScript : promptScript;
  } catch {
    return fullPromptScript;
  }
}

/**
 * Whether a call (a prompt, or help) may read template files: a `--templates` folder, a
 * `--context-pack` file, or the project's `.orch/templates/` (a folder in the current folder,
 * unless `--no-project-templates` comes before `--`), as `templateDirs` and `contextFromFlags`
 * decide. It may say yes where the CLI reads nothing (a flag after `--`): the full script then
 * prints the same, a little later. It must never say no where the CLI reads a file.
 */
export function mayReadTemplateFiles(args: readonly string[], cwd: string): boolean {
  if (args.some((arg) => /^--(templates|context-pack)(=|$)/.test(arg))) return true;
  const end = args.indexOf('--');
  if ((end === -1 ? args : args.slice(0, end)).includes('--no-project-templates')) return false;
  return projectTemplatesFolder(resolve(cwd, projectTemplatesDir)) === 'folder';
}

/**
 * The prompt script and its code cache, when the cache was made by this Node on this machine
 * type; otherwise undefined (the code-split CLI starts faster than compiling the whole script).
 * The file is ASCII (the build checks), read as Latin-1 without decoding work.
 */
function readPromptScript(file: string): PromptScript | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'latin1');
  } catch {
    return undefined;
  }
  // The first (and only) occurrence: the build checks the script holds none. (A forward search
  // skips through the text; a backward one would read the whole cache.)
  const at = text.indexOf(codeCacheMarker);
  if (at === -1) return undefined;
  const [node, arch, data] = text.slice(at + codeCacheMarker.length).trim().split(' ');
  if (node !== process.version || arch !== process.arch || !data) return undefined;
  return { file, source: text.slice(0, at), cachedData: Buffer.from(data, 'base64') };
}

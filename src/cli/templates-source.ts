import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { builtinTemplates } from '../templates/builtin-set.js';
import { projectTemplatesDir, projectTemplatesFolder } from '../templates/project-templates.js';
import type { LoadedTemplates, TemplateOverride, TemplateSet } from '../templates/model.js';
import { terminalSafe } from '../text/terminal.js';
import { UserError } from '../errors/index.js';
import { listFlag, type FlagSpec, type FlagValues } from './flags.js';
import { program } from './help.js';
import type { CliIo, Output } from './io.js';
import { reportWarning } from './report-error.js';

export { projectTemplatesDir } from '../templates/project-templates.js';

/** The flag that leaves `.orch/templates` out, for every command that loads templates. */
export const noProjectTemplatesFlag = 'no-project-templates';

/** The flags that choose template folders, shared by every command that loads templates. */
export const templateSourceFlags: readonly FlagSpec[] = [
  { name: 'templates', type: 'string', multiple: true, value: 'DIR', description: 'Extra templates folder (after .orch/templates/).' },
  { name: noProjectTemplatesFlag, type: 'boolean', description: 'Ignore .orch/templates/ (the built-ins and --templates still apply).' },
];

/** The template source of parsed flags (see {@link templateSourceFlags}). */
export function templateSourceOf(flags: FlagValues): TemplateSource {
  return { dirs: listFlag(flags, 'templates'), project: flags[noProjectTemplatesFlag] !== true };
}

/** Which template folders a command line asks for, besides the built-ins. */
export interface TemplateSource {
  /** `--templates DIR` values, in order. */
  dirs: string[];
  /** Whether `.orch/templates` is read (when present); `--no-project-templates` turns it off. */
  project: boolean;
}

/**
 * The template folders named in raw argv. Role prompts need them before the full flag table is
 * known, because project roles add flags of their own.
 */
export function scanTemplatesFlag(argv: readonly string[]): TemplateSource {
  const source: TemplateSource = { dirs: [], project: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') break;
    if (arg === '--templates') {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UserError('usage', '--templates needs a folder');
      source.dirs.push(value);
      i++;
    } else if (arg.startsWith('--templates=')) {
      source.dirs.push(arg.slice('--templates='.length));
    } else if (arg === `--${noProjectTemplatesFlag}`) {
      source.project = false;
    }
  }
  return source;
}

/** Folders of templates that apply: `.orch/templates/` when read and present, then `--templates` in order. */
export function templateDirs(source: TemplateSource, io: CliIo): string[] {
  const dirs: string[] = [];
  const project = resolve(io.cwd, projectTemplatesDir);
  const found = source.project ? projectTemplatesFolder(project) : 'absent';
  if (found === 'folder') dirs.push(project);
  else if (found !== 'absent') reportState(io.stderr).warnings.set(`${projectTemplatesDir} is ${found}, not a folder: it is not read, and the built-in templates apply`, projectTemplatesDir);
  for (const dir of source.dirs) {
    if (dir.trim() === '') throw new UserError('usage', '--templates needs a folder');
    const full = resolve(io.cwd, dir);
    let stat;
    try {
      stat = statSync(full);
    } catch {
      throw new UserError('usage', `--templates ${dir}: no such folder`);
    }
    if (!stat.isDirectory()) throw new UserError('usage', `--templates ${dir}: not a folder, expected a folder of templates`);
    dirs.push(full);
  }
  return dirs;
}

/** Options of {@link loadCliTemplates}. */
export interface LoadCliTemplatesOptions {
  /**
   * Print a notice on stderr for each project template that replaces a built-in (default
   * `true`). Off for `--format json`, whose output lists the overrides instead.
   */
  notices?: boolean;
}

/**
 * Load the templates that apply; the Markdown parser is only loaded when a folder is given.
 *
 * Replacing a built-in is shown, never silent: one notice per replaced template on stderr,
 * once per command. A file that cannot be loaded does not stop the command: it becomes a
 * warning, printed when the command ends (see {@link flushTemplateWarnings}), unless the
 * command failed because of that very file, whose error already named it.
 */
export async function loadCliTemplates(source: TemplateSource, io: CliIo, options: LoadCliTemplatesOptions = {}): Promise<TemplateSet & Pick<LoadedTemplates, 'overrides'>> {
  const dirs = templateDirs(source, io);
  if (dirs.length === 0) return { ...builtinTemplates(), overrides: [] };
  const { loadTemplates } = await import('../templates/load.js');
  // The project's own folder is read as data: no link in it is followed.
  const loaded = loadTemplates(dirs, { cwd: io.cwd, dataDirs: source.project ? [resolve(io.cwd, projectTemplatesDir)] : [] });
  const state = reportState(io.stderr);
  if (options.notices !== false) {
    for (const entry of loaded.overrides) {
      const line = overrideNotice(entry);
      if (state.printed.has(line)) continue;
      state.printed.add(line);
      io.stderr.write(`${program}: note: ${terminalSafe(line, { singleLine: true })}\n`);
    }
  }
  for (const problem of loaded.problems) state.warnings.set(problem.message, problem.source);
  return loaded;
}

/** `FILE replaces the built-in role \`reviewer\`` (and what it now may do that it could not). */
export function overrideNotice(entry: TemplateOverride): string {
  const what = entry.kind === 'preamble' || entry.kind === 'context-pack' ? `${entry.kind} template` : `${entry.kind} \`${entry.name}\``;
  const replaced = entry.replaces.startsWith('builtin:') ? `the built-in ${what}` : `the ${what} of \`${entry.replaces}\``;
  return `${entry.source} replaces ${replaced}${entry.widens ? ` and lets it ${entry.widens}` : ''}`;
}

/**
 * Print the warnings about template files that could not be loaded, once, at the end of a
 * command. A warning about a file that `error` (what ended the command) names is left out: the
 * error already said it.
 */
export function flushTemplateWarnings(io: CliIo, error?: unknown): void {
  const state = states.get(io.stderr);
  if (!state) return;
  const message = error instanceof Error ? error.message : '';
  for (const [warning, source] of state.warnings) {
    if (message !== '' && message.includes(source)) continue;
    reportWarning(io, warning);
  }
  states.delete(io.stderr);
}

interface ReportState {
  /** Notices already printed. */
  printed: Set<string>;
  /** Warnings to print when the command ends, each with the file it is about. */
  warnings: Map<string, string>;
}

// Keyed by the stream, so that a command loading templates twice (`runs resume`) reports once.
const states = new WeakMap<Output, ReportState>();

function reportState(stderr: Output): ReportState {
  let state = states.get(stderr);
  if (!state) {
    state = { printed: new Set(), warnings: new Map() };
    states.set(stderr, state);
  }
  return state;
}

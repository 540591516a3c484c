import { statSync } from 'node:fs';
import { basename, relative, resolve } from 'node:path';
import { isUserError, type UserError } from '../errors/index.js';
import { fileReadFailure, readTextBounded } from '../fs/read-bounded.js';
import { templateKey, type LoadedTemplates, type Template, type TemplateKind, type TemplateOverride, type TemplateProblem, type TemplateSet } from './model.js';
import { parseTemplate, templateIdentity } from './parse-template.js';
import { namePattern } from './frontmatter-schema.js';
import { isTemplateFileName, listTemplateFiles, maxTemplateBytes, walkWarning } from './template-files.js';
import { templateError, type TemplateFailure } from './template-error.js';
import { wideningOf } from './widening.js';
import { linkOnTheWay } from '../fs/link-target.js';

/** Options of {@link loadTemplates} and {@link layerTemplates}. */
export interface LoadTemplatesOptions {
  /** Start from the built-in templates (default `true`). */
  builtins?: boolean;
  /**
   * Throw the first problem instead of reporting it (default `false`). For sets that must be
   * whole, such as the built-ins themselves.
   */
  strict?: boolean;
  /** Folder that sources are shown relative to (default: the current folder). */
  cwd?: string;
  /**
   * Folders read as project data (the project's own `.orch/templates/`, which whoever wrote the
   * project chose): no symbolic link in them, or of them, is followed; each is a problem naming
   * it. Folders the user names (`--templates`) follow links (a folder kept in dotfiles).
   */
  dataDirs?: readonly string[];
}

const nameRegExp = new RegExp(namePattern);

/** One folder's templates: what loaded, what did not, and which names are unusable. */
interface Layer {
  dir: string;
  templates: Template[];
  /** Each problem as the error a strict load throws; its message is the problem's. */
  problems: Array<{ problem: TemplateProblem; error: UserError }>;
  /** Names the folder meant to define but cannot, with the reason naming the file(s). */
  unusable: Map<string, { kind: TemplateKind; name: string; reason: string }>;
}

/**
 * Layer templates: `base` first (the built-ins, for {@link loadTemplates}), then every folder in
 * `dirs` in order. A later template
 * with the same kind and name replaces an earlier one (listed in `overrides`); a new name adds a
 * role or lens.
 *
 * One bad file never stops the others: a file that cannot be read or parsed, or a missing
 * folder, is listed in `problems` (one line naming the file). When its frontmatter still says
 * what it meant to define, that role or lens becomes unusable (`unusable`): using it fails with
 * the file's reason rather than quietly falling back to the template it meant to replace. The
 * same goes for two files of one folder defining the same role or lens.
 *
 * @throws {UserError} `template-invalid` with `strict`, on the first problem; and whenever the set ends up
 * without a preamble or a context pack (only possible with `builtins: false`).
 */
export function layerTemplates(base: TemplateSet | undefined, dirs: readonly string[], options: LoadTemplatesOptions = {}): LoadedTemplates {
  const cwd = options.cwd ?? process.cwd();
  const set: Partial<TemplateSet> & Pick<TemplateSet, 'roles' | 'lenses'> = base
    ? { ...base, roles: { ...base.roles }, lenses: { ...base.lenses } }
    : { roles: {}, lenses: {} };
  const unusable: Record<string, string> = {};
  const overrides: TemplateOverride[] = [];
  const problems: TemplateProblem[] = [];
  // Files skipped without a readable name, by the name their file gives (`evil.md`: `evil`).
  const skipped = new Map<string, UserError>();
  for (const dir of dirs) {
    const layer = readLayer(dir, cwd, options.dataDirs?.includes(dir) ?? false);
    if (options.strict && layer.problems[0]) throw layer.problems[0].error;
    problems.push(...layer.problems.map((entry) => entry.problem));
    for (const { problem, error } of layer.problems) {
      const name = basename(problem.source).replace(/\.md$/i, '').toLowerCase();
      if (problem.kind === undefined && isTemplateFileName(problem.source) && nameRegExp.test(name)) skipped.set(name, error);
    }
    for (const template of layer.templates) {
      const key = templateKey(template.kind, template.name);
      if (layer.unusable.has(key)) continue;
      const replaced = current(set, template.kind, template.name);
      if (replaced) overrides.push(override(template, replaced));
      delete unusable[key];
      addTemplate(set, template);
    }
    for (const [key, { kind, name, reason }] of layer.unusable) {
      unusable[key] = reason;
      // The lens it replaces goes too, with its aliases: `--lens failure-modes` must fail the
      // same way as `--lens risks` when a broken `risks.md` meant to replace the built-in.
      if (kind === 'lens') {
        for (const alias of set.lenses[name]?.aliases ?? []) unusable[templateKey('lens', alias)] = reason;
        delete set.lenses[name];
      } else if (kind === 'role') delete set.roles[name];
    }
  }
  // `orch-prompt evil` where `evil.md` could not be read at all: say so, naming the file, rather
  // than "unknown role". Only for names nothing else defines: a built-in stays usable.
  for (const [name, error] of skipped) {
    const reason = `no role or lens \`${name}\` could be loaded: ${error.message}`;
    if (!set.roles[name] && !(templateKey('role', name) in unusable)) unusable[templateKey('role', name)] = reason;
    if (!set.lenses[name] && !(templateKey('lens', name) in unusable) && ![...Object.values(set.lenses)].some((lens) => lens.aliases.includes(name))) {
      unusable[templateKey('lens', name)] = reason;
    }
  }
  const where = dirs.join(', ') || 'templates';
  if (!set.preamble) throw templateError(where, 'no preamble template (kind: preamble)');
  if (!set.contextPack) throw templateError(where, 'no context-pack template (kind: context-pack)');
  const loaded: LoadedTemplates = { ...(set as TemplateSet), overrides, problems };
  if (Object.keys(unusable).length > 0) loaded.unusable = unusable;
  else delete loaded.unusable;
  return loaded;
}

function current(set: Partial<TemplateSet> & Pick<TemplateSet, 'roles' | 'lenses'>, kind: TemplateKind, name: string): Template | undefined {
  switch (kind) {
    case 'preamble':
      return set.preamble;
    case 'context-pack':
      return set.contextPack;
    case 'role':
      return set.roles[name];
    case 'lens':
      return set.lenses[name];
  }
}

function override(template: Template, replaced: Template): TemplateOverride {
  const entry: TemplateOverride = { kind: template.kind, name: template.name, source: template.source, replaces: replaced.source };
  if (template.kind === 'role' && replaced.kind === 'role') {
    const widened = wideningOf(replaced, { role: template });
    if (widened.length > 0) entry.widens = widened.map((capability) => capability.what).join(' and ');
  }
  return entry;
}

/**
 * `templates` layered on a copy of `base`: a template replaces the one of its kind and name, a new
 * name adds a role or lens. The one layering rule, for the loader and for lint's workspace.
 */
export function layerOnto(base: TemplateSet, templates: readonly Template[]): TemplateSet {
  const set: TemplateSet = { ...base, roles: { ...base.roles }, lenses: { ...base.lenses } };
  for (const template of templates) addTemplate(set, template);
  return set;
}

function addTemplate(set: Partial<TemplateSet> & Pick<TemplateSet, 'roles' | 'lenses'>, template: Template): void {
  switch (template.kind) {
    case 'preamble':
      set.preamble = template;
      break;
    case 'context-pack':
      set.contextPack = template;
      break;
    case 'role':
      set.roles[template.name] = template;
      break;
    case 'lens':
      set.lenses[template.name] = template;
      break;
  }
}

/** Read every template file below one folder; never throws for a file or the folder. */
function readLayer(dir: string, cwd: string, asData: boolean): Layer {
  const root = resolve(cwd, dir);
  const layer: Layer = { dir, templates: [], problems: [], unusable: new Map() };
  const shown = (path: string): string => {
    const rel = relative(cwd, path);
    return rel === '' || rel.startsWith('..') ? path : rel;
  };
  const fail = (error: UserError, identity?: { kind: TemplateKind; name: string }, consequence = ''): void => {
    layer.problems.push({ problem: { source: (error.data as unknown as TemplateFailure).file, message: `${error.message}${consequence}`, ...identity }, error });
  };
  if (asData && linkOnTheWay(cwd, root)) {
    fail(templateError(dir, linkReason));
    return layer;
  }
  let isFolder = false;
  try {
    isFolder = statSync(root).isDirectory();
  } catch {
    fail(templateError(dir, 'templates folder does not exist'));
    return layer;
  }
  if (!isFolder) {
    fail(templateError(dir, 'not a folder, expected a templates folder'));
    return layer;
  }
  const walk = listTemplateFiles(root, !asData);
  for (const warning of walk.warnings) {
    const meaning = walkWarning(root, warning);
    if (meaning) fail(templateError(shown(meaning.path), meaning.reason));
  }
  if (asData) for (const other of walk.others) if (linkOnTheWay(root, other)) fail(templateError(shown(other), `skipped, ${linkReason}`));
  // Every file of the folder that defines each name, to find two files defining one.
  const definedBy = new Map<string, { kind: TemplateKind; name: string; sources: string[] }>();
  const define = (kind: TemplateKind, name: string, source: string): void => {
    const key = templateKey(kind, name);
    const entry = definedBy.get(key) ?? { kind, name, sources: [] };
    entry.sources.push(source);
    definedBy.set(key, entry);
  };
  for (const file of walk.files) {
    const source = shown(file);
    let text: string;
    try {
      text = readTextBounded(file, { maxBytes: maxTemplateBytes, what: 'a template' });
    } catch (error) {
      const failure = fileReadFailure(error);
      if (!failure) throw error;
      fail(templateError(source, failure.reason, failure.place), undefined, '; the file is skipped');
      continue;
    }
    try {
      const template = parseTemplate(text, source);
      layer.templates.push(template);
      define(template.kind, template.name, source);
    } catch (error) {
      if (!isUserError(error, 'template-invalid')) throw error;
      const identity = templateIdentity(text);
      if (!identity) {
        fail(error, undefined, '; the file is skipped');
        continue;
      }
      const what = describe(identity.kind, identity.name);
      layer.unusable.set(templateKey(identity.kind, identity.name), { ...identity, reason: `${what} cannot be used: ${error.message}` });
      define(identity.kind, identity.name, source);
      fail(error, identity, `; ${what} cannot be used until it is fixed`);
    }
  }
  for (const [key, { kind, name, sources }] of definedBy) {
    if (sources.length < 2) continue;
    const files = sources.map((s) => `\`${s}\``).join(' and ');
    const reason = `${describe(kind, name)} is defined by ${sources.length} files of one folder, ${files}, expected one: remove or rename all but one`;
    layer.unusable.set(key, { kind, name, reason });
    fail(templateError(sources[0] as string, reason), { kind, name });
  }
  return layer;
}

/** `role \`auditor\``, `the preamble`. */
function describe(kind: TemplateKind, name: string): string {
  if (kind === 'preamble') return 'the preamble';
  if (kind === 'context-pack') return 'the context-pack template';
  return `${kind} \`${name}\``;
}

const linkReason = "a symbolic link: a project's own templates are read as they are on disk (to follow links, name the folder: --no-project-templates --templates .orch/templates)";


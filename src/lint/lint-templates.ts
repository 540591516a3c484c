import { builtinTemplates } from '../templates/builtin-set.js';
import type { TemplateSet } from '../templates/model.js';
import { nestingFailure } from '../markdown/limits.js';
import { disabledIds, lintDirectives } from './directives.js';
import { runRules } from './engine.js';
import { fileError, type FileResult } from './result.js';
import type { Rule, SeveritySetting } from './rule.js';
import { templateRules } from './rules/index.js';
import { templateLintInput, type TemplateLintInput } from './template-input.js';
import { readSource, type SourceText } from './read-source.js';
import { lintWorkspace } from './workspace.js';

/** Options of {@link lintTemplateSources} and {@link lintTemplateFiles}. */
export interface LintTemplatesOptions {
  /** Severity per rule id (default: each rule's own). */
  severities?: Readonly<Record<string, SeveritySetting>>;
  /** Rules to run (default: all template rules). */
  rules?: readonly Rule<TemplateLintInput>[];
  /** Templates the linted files are layered on (default: the built-ins). */
  base?: TemplateSet;
}

/** A file to lint: its name as shown in reports, and its text (or why it has none). */
export interface TemplateSource {
  file: string;
  source: SourceText;
  /** The templates folder it belongs to (see `WorkspaceFile.group`); default: one for all. */
  group?: string;
}

/**
 * Lint template texts. Every file is parsed first, so that cross-file rules (lenses a role
 * mentions, the prompt a role renders to) see the project's own lenses and roles. A file that
 * cannot be read as text gets one `file-error` finding; the others are still linted.
 */
export function lintTemplateSources(sources: readonly TemplateSource[], options: LintTemplatesOptions = {}): FileResult[] {
  const rules = options.rules ?? templateRules;
  const files = sources.map((entry) => ({ file: entry.file, text: entry.source.ok ? entry.source.text : undefined, ...(entry.group !== undefined ? { group: entry.group } : {}) }));
  const workspace = lintWorkspace(options.base ?? builtinTemplates(), files);
  // Directives may name any template rule, also ones not run this time.
  const knownIds = templateRules.map((rule) => rule.id);
  return sources.map((entry, index): FileResult => {
    if (!entry.source.ok) return { file: entry.file, findings: [fileError(entry.source.reason, entry.source.place)] };
    let doc;
    try {
      doc = workspace.doc(index);
    } catch (error) {
      const nesting = nestingFailure(error);
      if (!nesting) throw error;
      return { file: entry.file, findings: [fileError(nesting.reason, nesting.place)] };
    }
    if (!doc) return { file: entry.file, findings: [fileError('cannot read the file')] };
    const directives = lintDirectives(doc, knownIds);
    const input = templateLintInput({ file: entry.file, index, doc, workspace, directives });
    const runOptions = { disabled: disabledIds(directives, knownIds), ...(options.severities ? { severities: options.severities } : {}) };
    const findings = runRules(input, rules, runOptions);
    workspace.release(index);
    return { file: entry.file, findings };
  });
}

/** Options of {@link lintTemplateFiles}. */
export interface LintTemplateFilesOptions extends LintTemplatesOptions {
  /** The name shown in reports for a path (default: the path). */
  display?(path: string): string;
  /** The templates folder a path belongs to (see `TemplateSource.group`; default: one for all). */
  groupOf?(path: string): string;
}

/** Lint template files on disk. */
export function lintTemplateFiles(paths: readonly string[], options: LintTemplateFilesOptions = {}): FileResult[] {
  const display = options.display ?? ((path: string) => path);
  const sources = paths.map((path): TemplateSource => {
    const group = options.groupOf?.(path);
    return { file: display(path), source: readSource(path), ...(group !== undefined ? { group } : {}) };
  });
  return lintTemplateSources(sources, options);
}

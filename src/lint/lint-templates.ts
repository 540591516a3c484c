import { builtinTemplates } from '../templates/builtin-set.js';
import type { TemplateSet } from '../templates/model.js';
import { inlineDisables } from './directives.js';
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
}

/**
 * Lint template texts. Every file is parsed first, so that cross-file rules (lenses a role
 * mentions, the prompt a role renders to) see the project's own lenses and roles. A file that
 * cannot be read as text gets one `file-error` finding; the others are still linted.
 */
export function lintTemplateSources(sources: readonly TemplateSource[], options: LintTemplatesOptions = {}): FileResult[] {
  const rules = options.rules ?? templateRules;
  const files = sources.map((entry) => ({ file: entry.file, text: entry.source.ok ? entry.source.text : undefined }));
  const workspace = lintWorkspace(options.base ?? builtinTemplates(), files);
  return sources.map((entry, index): FileResult => {
    const doc = workspace.doc(index);
    if (!entry.source.ok || !doc) {
      const error = entry.source.ok ? undefined : entry.source;
      return { file: entry.file, findings: [fileError(error?.reason ?? 'cannot read the file', error?.place)] };
    }
    const input = templateLintInput({ file: entry.file, doc, workspace });
    const runOptions = { disabled: inlineDisables(doc.text), ...(options.severities ? { severities: options.severities } : {}) };
    const findings = runRules(input, rules, runOptions);
    workspace.release(index);
    return { file: entry.file, findings };
  });
}

/** Lint template files on disk; `display` turns a path into the name shown in reports. */
export function lintTemplateFiles(paths: readonly string[], options: LintTemplatesOptions & { display?: (path: string) => string } = {}): FileResult[] {
  const display = options.display ?? ((path: string) => path);
  const sources = paths.map((path): TemplateSource => {
    let source: SourceText;
    try {
      source = readSource(path);
    } catch (error) {
      source = { ok: false, reason: `cannot read the file: ${(error as Error).message}` };
    }
    return { file: display(path), source };
  });
  return lintTemplateSources(sources, options);
}


import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileReadFailure, readTextBounded } from '../../fs/read-bounded.js';
import { runRules, type RunRulesOptions } from '../engine.js';
import { fileError, type FileResult } from '../result.js';
import type { Finding } from '../rule.js';
import type { AgentLintInput, RoleFile } from './agent-input.js';
import { agentFilesIn, codexOrder, layerOf, maxAgentFileBytes, projectTrusted, within, type AgentLayer } from './agent-layer.js';
import { agentRules } from './agent-rules.js';
import { parseTomlDocument, type TomlDocument } from './toml-document.js';

/** Options of {@link lintAgentFiles}. */
export interface LintAgentOptions extends RunRulesOptions {
  /** Codex's home folder (`$CODEX_HOME`, default `~/.codex`): its `agents/` is the user layer, its config.toml says which projects are trusted. */
  codexHome?: string;
  /** The name shown in reports for a path (default: the path). */
  display?(path: string): string;
}

/** One file read for a lint run. */
type Loaded = { doc: TomlDocument } | { failure: Finding };

/**
 * What one lint run knows across files: each file read once, and for each agents folder which
 * file claims which name (the first file, in Codex's order, that loads without error).
 */
interface AgentWorkspace {
  load(file: string): Loaded;
  input(file: string, doc: TomlDocument): AgentLintInput;
  /** Errors that make Codex skip an agent file, name clashes left out. */
  blockers(file: string, options?: { nameGiven?: boolean }): Finding[];
}

function workspace(options: LintAgentOptions): AgentWorkspace {
  const loaded = new Map<string, Loaded>();
  const claims = new Map<string, Map<string, string>>();
  const load = (file: string): Loaded => {
    let entry = loaded.get(file);
    if (!entry) {
      try {
        entry = { doc: parseTomlDocument(readTextBounded(file, { maxBytes: maxAgentFileBytes, what: 'a Codex TOML file' })) };
      } catch (error) {
        const failure = fileReadFailure(error);
        if (!failure) throw error;
        entry = { failure: fileError(failure.reason, failure.place) };
      }
      loaded.set(file, entry);
    }
    return entry;
  };
  const blockers = (file: string, how: { nameGiven?: boolean } = {}): Finding[] => {
    const entry = load(file);
    if ('failure' in entry) return [entry.failure];
    const rules = agentRules.filter((rule) => rule.severity === 'error' && rule.id !== 'agent-duplicate-name');
    const found = runRules(self.input(file, entry.doc), rules).filter((f) => f.severity === 'error');
    // A role's `config_file` may leave the name to the role (`[agents.NAME]`).
    return how.nameGiven ? found.filter((f) => !(f.ruleId === 'agent-required-field' && f.data['field'] === 'name' && f.messageId === 'missing')) : found;
  };
  const claimsIn = (layer: AgentLayer): Map<string, string> => {
    let names = claims.get(layer.root);
    if (!names) {
      names = new Map();
      for (const file of agentFilesIn(layer.root).files) {
        const entry = load(file);
        if ('failure' in entry || blockers(file).length > 0) continue;
        const name = entry.doc.data['name'];
        if (typeof name === 'string' && !names.has(name.trim())) names.set(name.trim(), file);
      }
      claims.set(layer.root, names);
    }
    return names;
  };
  const self: AgentWorkspace = {
    load,
    blockers,
    input(file, doc) {
      const kind = basename(file) === 'config.toml' ? 'config' : 'agent';
      const layer = kind === 'agent' ? layerOf(file, options.codexHome) : undefined;
      const trusted = layer?.kind === 'project' && layer.project !== undefined && options.codexHome !== undefined ? projectTrusted(layer.project, options.codexHome) : undefined;
      return {
        file,
        kind,
        doc,
        layer,
        trusted,
        claimedBefore(name) {
          if (!layer) return undefined;
          const owner = claimsIn(layer).get(name);
          return owner === undefined || codexOrder(owner, file) >= 0 ? undefined : within(layer.root, owner);
        },
        roleFile: (path) => roleFile(path, resolve(dirname(file), path), self),
      };
    },
  };
  return self;
}

/** What an inline role's `config_file` (`given`, found at `path`) gives the role. */
function roleFile(given: string, path: string, files: AgentWorkspace): RoleFile {
  if (!existsSync(path)) return { problem: `names \`${given}\`, which does not exist` };
  if (!statSync(path).isFile()) return { problem: `names \`${given}\`, which is not a file` };
  const [first] = files.blockers(path, { nameGiven: true });
  if (first) return { problem: `names \`${given}\`, which Codex skips (${first.ruleId} at ${first.place.line}:${first.place.column})` };
  const entry = files.load(path);
  const description = 'doc' in entry ? entry.doc.data['description'] : undefined;
  return { description: typeof description === 'string' ? description : undefined };
}

/**
 * Lint Codex custom agent files and config.toml files with the agent rules: each file is read
 * within a size limit (one that cannot be read is a `file-error`), parsed as TOML with places,
 * and checked as Codex 0.169 loads it (name clashes are judged against the other files of the
 * same agents folder, trust against `codexHome`'s config.toml).
 */
export function lintAgentFiles(paths: readonly string[], options: LintAgentOptions = {}): FileResult[] {
  const display = options.display ?? ((path: string) => path);
  const files = workspace(options);
  const { codexHome: _home, display: _display, ...run } = options;
  return paths.map((path) => {
    const file = resolve(path);
    const entry = files.load(file);
    if ('failure' in entry) return { file: display(file), findings: [entry.failure] };
    return { file: display(file), findings: runRules(files.input(file, entry.doc), agentRules, run) };
  });
}

/** The files `orch-prompt lint` reads for an agents folder, a `.codex` folder or Codex's home. */
export function agentPathsIn(dir: string): { files: string[]; warnings: string[] } {
  if (basename(dir) === 'agents') return agentFilesIn(dir);
  const config = join(dir, 'config.toml');
  const agents = agentFilesIn(join(dir, 'agents'));
  return { files: [...(existsSync(config) ? [config] : []), ...agents.files], warnings: agents.warnings };
}

/**
 * Lint one agent file held in memory (a compiled agent before it is written): no folder around
 * it, so name clashes and trust are not judged.
 */
export function lintAgentText(file: string, text: string, options: RunRulesOptions = {}): Finding[] {
  const input: AgentLintInput = {
    file,
    kind: 'agent',
    doc: parseTomlDocument(text),
    layer: undefined,
    trusted: undefined,
    claimedBefore: () => undefined,
    roleFile: () => ({ description: undefined }),
  };
  return runRules(input, agentRules, options);
}

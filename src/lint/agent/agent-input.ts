import type { Place } from '../rule.js';
import type { AgentLayer } from './agent-layer.js';
import type { TomlDocument } from './toml-document.js';

/** One file as an agent rule sees it: a custom agent file, or a Codex config.toml. */
export interface AgentLintInput {
  /** Absolute path of the file. */
  file: string;
  /** `agent`: a custom agent file; `config`: a config.toml (its `[agents]` table is checked). */
  kind: 'agent' | 'config';
  doc: TomlDocument;
  /** The agents folder Codex would read the file from, when it is in one. */
  layer: AgentLayer | undefined;
  /** For a file of a project's `.codex/agents/`: whether Codex trusts the project (`undefined`: not known). */
  trusted: boolean | undefined;
  /** The file of the same layer that claims `name` before this one in Codex's order, shown relative to the layer. */
  claimedBefore(name: string): string | undefined;
  /**
   * For a config.toml: the agent file an inline role's `config_file` names (resolved against the
   * config's folder): why Codex would not load it, or the description it gives the role.
   */
  roleFile(path: string): RoleFile;
}

/** What an inline role's `config_file` gives it. */
export type RoleFile = { problem: string } | { description: string | undefined };

const start: Place = { line: 1, column: 1 };

/** Where a key (or its value) is in the file; the start of the file when it is not there. */
export function placeOf(input: AgentLintInput, path: readonly string[], part: 'key' | 'value' = 'key'): Place {
  return input.doc.places(path)?.[part] ?? start;
}

/** The file's data when it is an agent file that parsed; `undefined` otherwise (other rules report why). */
export function agentData(input: AgentLintInput): Record<string, unknown> | undefined {
  return input.kind === 'agent' && !input.doc.problem ? input.doc.data : undefined;
}

/** What a TOML value is, in a message: `a string`, `an integer`, `a table`. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'boolean') return 'a boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a float';
  if (Array.isArray(value)) return 'an array';
  return 'a table';
}

/**
 * Why a `nickname_candidates` value makes Codex 0.169 skip the agent, or `undefined`: it must be
 * a non-empty array of distinct, non-blank names of ASCII letters, digits, spaces, `-` and `_`.
 */
export function nicknameProblem(value: unknown): string | undefined {
  if (!Array.isArray(value)) return `is ${describeValue(value)}`;
  if (value.length === 0) return 'is empty';
  const seen = new Set<string>();
  for (const item of value) {
    if (typeof item !== 'string') return `holds ${describeValue(item)}`;
    const name = item.trim();
    if (name === '') return 'holds a blank name';
    if (seen.has(name)) return `holds \`${name}\` twice`;
    seen.add(name);
    if (!/^[A-Za-z0-9 _-]+$/.test(name)) return `holds \`${name}\`, which has a character other than ASCII letters, digits, spaces, \`-\` and \`_\``;
  }
  return undefined;
}

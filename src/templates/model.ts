import type { Root } from 'mdast';

/** The four kinds of template. */
export type TemplateKind = 'preamble' | 'context-pack' | 'role' | 'lens';

/** JSON values, as found in frontmatter (used for output schemas). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

interface TemplateBase {
  name: string;
  description: string;
  /** Where the template came from: a file path, or `builtin:<path>` for the shipped ones. */
  source: string;
}

/** The block every worker prompt starts with (first line `CONTEXT: WORKER`). */
export interface PreambleTemplate extends TemplateBase {
  kind: 'preamble';
  body: Root;
}

/** One field of the context pack. */
export interface ContextPackField {
  /** Flag name (`--goal`) and key in YAML/JSON context-pack files. */
  flag: string;
  /** Heading in Markdown context-pack files and label in the prompt. */
  label: string;
  description: string;
}

/** The context pack: what the orchestrator knows that a worker cannot infer. */
export interface ContextPackTemplate extends TemplateBase {
  kind: 'context-pack';
  fields: ContextPackField[];
  body: Root;
}

/** A parameter a role takes; each becomes a flag and a `{{placeholder}}`. */
export interface RoleParameter {
  name: string;
  description: string;
  required: boolean;
}

/** How many lenses a role takes. */
export interface LensRule {
  mode: 'none' | 'optional' | 'required';
  max: number;
}

/** The sections of a role body. */
export interface RoleSections {
  task: Root;
  do: Root;
  output: Root;
  dont: Root;
}

/** A worker role such as `reviewer`. */
export interface RoleTemplate extends TemplateBase {
  kind: 'role';
  /** Default SCOPE line; may hold placeholders. Absent for editing roles that need `--scope`. */
  scope?: string;
  /** Whether the worker changes files. */
  edits: boolean;
  lenses: LensRule;
  parameters: RoleParameter[];
  /** JSON Schema for the final message (`codex exec --output-schema`). */
  outputSchema?: { [key: string]: JsonValue };
  /** Codex web search for workers of this role (`orch-prompt run` passes `-c web_search=...`). */
  webSearch?: 'disabled' | 'cached' | 'live';
  sections: RoleSections;
}

/** A review lens: concrete things to look for. */
export interface LensTemplate extends TemplateBase {
  kind: 'lens';
  title: string;
  aliases: string[];
  body: Root;
}

/** Any template. */
export type Template = PreambleTemplate | ContextPackTemplate | RoleTemplate | LensTemplate;

/** Everything needed to render prompts: built-ins with project templates layered on top. */
export interface TemplateSet {
  preamble: PreambleTemplate;
  contextPack: ContextPackTemplate;
  roles: Record<string, RoleTemplate>;
  lenses: Record<string, LensTemplate>;
}

/** Placeholders every role may use without declaring them. */
export const builtinPlaceholders = ['task', 'scope', 'lenses'] as const;

/** Section headings of a role body, keyed by section. */
export const roleSectionHeadings: Record<keyof RoleSections, string> = {
  task: 'Task',
  do: 'Do',
  output: 'Output',
  dont: "Don't",
};

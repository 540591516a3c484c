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

/** Codex's `model_reasoning_effort` values. */
export type ReasoningEffort = 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh';

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
  /** The model for workers of this role (`codex exec -m`); the plan and the command line override it. */
  model?: string;
  /** Codex's `model_reasoning_effort` for workers of this role. */
  reasoningEffort?: ReasoningEffort;
  /** Narrows the sandbox `edits` implies (an editing role may run `read-only`, never the reverse). */
  sandbox?: 'read-only' | 'workspace-write';
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
  /**
   * Templates a project file meant to define but that cannot be used (the file is broken, or
   * two files of one folder define the same name), keyed by {@link templateKey}: using one is
   * an error with this one-line reason, naming the file(s). Absent when there are none.
   */
  unusable?: Readonly<Record<string, string>>;
}

/** The key of a template in {@link TemplateSet.unusable}: `role:auditor`, `lens:risks`, `preamble`. */
export function templateKey(kind: TemplateKind, name: string): string {
  return kind === 'preamble' || kind === 'context-pack' ? kind : `${kind}:${name}`;
}

/** Why a template of `set` cannot be used (one line naming the file), if it cannot. */
export function unusableReason(set: TemplateSet, kind: TemplateKind, name: string = kind): string | undefined {
  return set.unusable?.[templateKey(kind, name)];
}

/** A project template that replaces one of an earlier layer (usually a built-in). */
export interface TemplateOverride {
  kind: TemplateKind;
  name: string;
  /** The file that now defines it. */
  source: string;
  /** What it replaces (`builtin:templates/roles/reviewer.md`, or an earlier project file). */
  replaces: string;
  /** What the replacement allows that the replaced one did not (`edits files`), if anything. */
  widens?: string;
}

/** A file that could not be loaded, or a folder problem, in one line naming the file. */
export interface TemplateProblem {
  source: string;
  message: string;
  /** The template the file meant to define, when its frontmatter still says (it is then unusable). */
  kind?: TemplateKind;
  name?: string;
}

/** What `loadTemplates` returns: the set, plus what replaced what and what could not load. */
export interface LoadedTemplates extends TemplateSet {
  overrides: TemplateOverride[];
  problems: TemplateProblem[];
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

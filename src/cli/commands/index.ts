import type { CommandName } from '../../templates/reserved-names.js';
import type { Command } from '../command.js';

/** A subcommand: its one-line summary and its code, loaded on demand. */
export interface CommandEntry {
  summary: string;
  load: () => Promise<Command>;
}

/**
 * Subcommands, loaded on demand so that `orch-prompt <role>` never pays for the code of the
 * others. A name that is not here is a role. Keyed by the reserved command names (one list, in
 * src/templates/reserved-names.ts, so lint can refuse them as role names without the CLI): a
 * command missing from that list, or a name there without a command, does not compile.
 */
const table = {
  build: { summary: 'Compile the skill folder (SKILL.md, references, script) and check it.', load: async () => (await import('./build.js')).command },
  doctor: { summary: 'Check codex, CODEX_HOME, Node, the installed skill and custom agents; print a fix for each problem.', load: async () => (await import('./doctor.js')).command },
  install: { summary: 'Install the skill for Codex, ~/.agents or OpenClaw (atomic, idempotent).', load: async () => (await import('./install.js')).command },
  lint: { summary: 'Lint worker templates, a skill, or Codex agent files like code: rule id, severity, line:column.', load: async () => (await import('./lint.js')).command },
  list: { summary: 'List the roles and lenses.', load: async () => (await import('./list.js')).command },
  mcp: { summary: 'Serve the runner as MCP tools on stdio (for Codex: install --mcp registers it).', load: async () => (await import('./mcp.js')).command },
  pack: { summary: 'Zip the skill for ClawHub\'s web publish form.', load: async () => (await import('./pack.js')).command },
  publish: { summary: 'Publish the skill to ClawHub (OpenClaw, Termo) with clawhub.', load: async () => (await import('./publish.js')).command },
  run: { summary: 'Run codex exec workers in parallel, recorded in a run folder.', load: async () => (await import('./run.js')).command },
  runs: { summary: 'List past runs, show one, apply or clean its worktrees.', load: async () => (await import('./runs.js')).command },
  uninstall: { summary: 'Remove the installed skill (refuses edited folders unless --force).', load: async () => (await import('./uninstall.js')).command },
} satisfies Record<CommandName, CommandEntry>;

/** The subcommands by name (a name that is not here is a role). */
export const commands: Record<string, CommandEntry> = table;

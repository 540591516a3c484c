/**
 * Names a role may not take: `orch-prompt <name>` runs these subcommands instead of printing a
 * prompt. Kept here (not in the CLI) so that the linter can check them without depending on it.
 */
export const reservedNames = ['build', 'doctor', 'install', 'lint', 'list', 'mcp', 'pack', 'publish', 'run', 'runs', 'uninstall', 'help'] as const;

/**
 * The subcommands: every reserved name but `help`. This list is the one source of the command
 * names: the CLI's command table is typed by it, so a command added there without a name here
 * (or the other way round) does not compile.
 */
export type CommandName = Exclude<(typeof reservedNames)[number], 'help'>;

/**
 * Names a role parameter may not take, because every role prompt already has a flag of that
 * name (the context-pack fields are flags too, and come from the context-pack template).
 */
export const reservedParameterNames = ['lens', 'task', 'task-only', 'scope', 'context-pack', 'templates', 'no-project-templates', 'format', 'out', 'help'] as const;

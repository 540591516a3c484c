/**
 * Names a role may not take: `orch-prompt <name>` runs these subcommands instead of printing a
 * prompt. Kept here (not in the CLI) so that the linter can check them without depending on it.
 */
export const reservedNames = ['list', 'lint', 'build', 'install', 'uninstall', 'pack', 'publish', 'run', 'runs', 'doctor', 'help'] as const;

/**
 * Names a role parameter may not take, because every role prompt already has a flag of that
 * name (the context-pack fields are flags too, and come from the context-pack template).
 */
export const reservedParameterNames = ['lens', 'task', 'scope', 'context-pack', 'templates', 'format', 'out', 'help'] as const;

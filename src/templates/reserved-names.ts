/**
 * Names a role may not take: `orch-prompt <name>` runs these subcommands instead of printing a
 * prompt. Kept here (not in the CLI) so that the linter can check them without depending on it.
 */
export const reservedNames = ['list', 'lint', 'build', 'install', 'uninstall', 'pack', 'run', 'runs', 'doctor', 'help'] as const;

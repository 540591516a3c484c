/** The skill's name: its folder name, its `name:` and what users type after `$`. */
export const skillName = 'codex-orchestration';

/** The CLI's entry inside the skill folder (the name SKILL.md tells agents to run). */
export const skillScriptPath = 'scripts/orch-prompt.mjs';

/** The folder of what the entry starts (see `src/cli/start.ts`), inside the skill folder. */
export const skillRuntimeDir = 'scripts/orch-prompt';

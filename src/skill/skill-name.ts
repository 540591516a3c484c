/** The skill's name: its folder name, its `name:` and what users type after `$`. */
export const skillName = 'codex-orchestration';

/** Where the single-file CLI lives inside the skill folder. */
export const skillScriptPath = 'scripts/orch-prompt.mjs';

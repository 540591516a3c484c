/**
 * Every failure a user can meet, by stable code. The code is what scripts and tests match on
 * (`--format json` prints it); the message is for people and may change. `exit` is the process
 * exit status the CLI uses: 2 for a mistake in how a command was called or in what it was given
 * to read (a usage error: fix the input and call again), 1 for a failure of the work itself.
 *
 * Add a code here when a new failure is introduced; group it with its area. A code is never
 * renamed or reused for another meaning once released.
 */
export const errorCatalog = {
  // How a command was called.
  usage: { exit: 2, summary: 'the command line is not valid (unknown flag, missing value, conflicting options)' },

  // Prompts: what a worker prompt was asked for.
  'unknown-role': { exit: 2, summary: 'no role of that name in the built-in or project templates' },
  'unknown-lens': { exit: 2, summary: 'no lens of that name' },
  'unknown-parameter': { exit: 2, summary: 'the role takes no parameter of that name' },
  'missing-parameter': { exit: 2, summary: 'a required parameter of the role was not given' },
  'lens-required': { exit: 2, summary: 'the role needs at least one lens' },
  'lens-not-accepted': { exit: 2, summary: 'the role takes no lens' },
  'too-many-lenses': { exit: 2, summary: 'more lenses than the role accepts' },
  'scope-required': { exit: 2, summary: 'an editing role needs a scope' },
  'unknown-context-field': { exit: 2, summary: 'the context pack has a field the templates do not know' },
  'unresolved-placeholder': { exit: 2, summary: 'a template placeholder has no value' },
  'context-pack-file': { exit: 2, summary: 'the context pack file cannot be read or parsed' },
  'template-unusable': { exit: 2, summary: 'the template file for the role or lens cannot be loaded' },

  // Templates and lint.
  'template-invalid': { exit: 2, summary: 'a template file breaks the template format' },
  'lint-config-invalid': { exit: 2, summary: 'the lint configuration cannot be read' },
  'nothing-to-lint': { exit: 2, summary: 'the paths given hold nothing lint can check' },

  // Files.
  'file-unreadable': { exit: 1, summary: 'a file cannot be read (missing, not a regular file, too large, not UTF-8)' },
  'file-unwritable': { exit: 1, summary: 'an output file cannot be written' },
  'input-too-deep': { exit: 1, summary: 'a file nests deeper than a parser may recurse (refused before parsing), or its emphasis deeper than the writer can take' },

  // The skill: build, install, pack, publish.
  'skill-invalid': { exit: 1, summary: 'the skill sources or built skill break a skill rule' },
  'install-refused': { exit: 1, summary: 'the install target holds something this tool does not own' },
  'publish-failed': { exit: 1, summary: 'the ClawHub CLI is missing or refused the skill' },
  'install-failed': { exit: 1, summary: 'the skill folder was placed, but the previous one could not be kept where it was meant to go' },
  'skill-package-missing': { exit: 1, summary: 'the package files the skill is built from are not there (a copy of the skill script, a broken install)' },

  // Runs.
  'plan-invalid': { exit: 2, summary: 'the plan file cannot be read or breaks the plan format' },
  'worker-invalid': { exit: 2, summary: 'a worker of the run cannot be built' },
  'run-dir-taken': { exit: 2, summary: 'the run folder already holds a run' },
  'manifest-invalid': { exit: 2, summary: 'the run manifest is missing or cannot be trusted' },
  'run-untrusted': { exit: 2, summary: "the run folder was not written by this user's orch-prompt (no valid seal), so it cannot choose what runs, or which branches are touched" },
  'run-folder-unsafe': { exit: 2, summary: 'the run folder holds a link where a file or folder must be, or it cannot be locked' },
  'nothing-to-hand-over': { exit: 2, summary: '--from RUN: no worker of that run succeeded, so it has no results to hand over' },
  'run-still-running': { exit: 2, summary: 'the run is still running' },
  'run-preflight': { exit: 2, summary: 'the run cannot work here (no network to the model, no writable folder, no codex)' },
  'worktree-unavailable': { exit: 2, summary: '--isolation worktree: the worker folder is not in a git repository, or it has no commit' },
  'worktree-dirty': { exit: 2, summary: '--isolation worktree: the repository has uncommitted changes (commit, stash, or --set from-dirty=true)' },
  'unknown-worker': { exit: 2, summary: 'the run has no worker of that name' },
  'nothing-to-apply': { exit: 1, summary: 'runs apply: the worker left no change to apply (or it was removed)' },
  'apply-refused': { exit: 1, summary: 'runs apply: the current work tree or branch cannot take the change as it is' },
  'apply-conflict': { exit: 1, summary: "runs apply: the worker's branch conflicts with the current branch; nothing was applied" },
  'prices-invalid': { exit: 2, summary: 'the price table (.orch/prices.json or --prices) cannot be read or breaks its format' },
  'budget-unpriced': { exit: 2, summary: '--budget in dollars: a worker runs a model with no price' },
  'clean-failed': { exit: 1, summary: "runs clean: a worktree or branch of the run could not be removed" },
  'cloud-apply-unavailable': { exit: 1, summary: 'runs apply: the worker has no finished Codex Cloud task, or its folder is not in a git work tree' },
  'cloud-apply-dirty-tree': { exit: 1, summary: 'runs apply: the work tree has uncommitted changes; nothing was applied' },
  'cloud-apply-failed': { exit: 1, summary: 'runs apply: codex cloud apply did not apply the diff cleanly' },

  // The MCP server (`orch-prompt mcp`) and its registration (`install --mcp`).
  'mcp-refused': { exit: 2, summary: 'the MCP server refuses what a sandboxed model may not decide (a path outside the folder it serves, a worker folder of its own, a program to run, a Codex config override, cloud workers, a setting it does not list) or what goes over its limits (workers in a run, runs at once)' },
  'mcp-config': { exit: 1, summary: 'install --mcp: the Codex config.toml cannot be read, parsed, or changed as asked (an entry of that name that orch-prompt did not write)' },
} as const satisfies Record<string, { exit: 1 | 2; summary: string }>;

/** A stable error code. */
export type ErrorCode = keyof typeof errorCatalog;

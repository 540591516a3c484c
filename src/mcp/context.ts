import { executors, projectRunsDir, runKinds, type RunKinds } from '../run/index.js';
import { findGitDir } from './git-dir.js';
import { RunRegistry } from './registry.js';

/** What every tool call works with: the folder served, the environment, the runs it keeps. */
export interface ServerContext {
  /** The folder the server was started in: it acts only here (and in its runs folder). */
  root: string;
  /** The server's environment, which workers inherit (Codex rebuilds it: see docs/mcp.md). */
  env: Readonly<Record<string, string | undefined>>;
  /**
   * The git folder of the repository the folder was in when the server started (found without
   * running git), or null: the only repository worktree isolation may use.
   */
  gitDir: string | null;
  kinds: RunKinds;
  /** The runs this server started and still follows. */
  runs: RunRegistry;
  /** `<root>/.orch/runs`, refused when it is a link. */
  runsRoot(where: string): string;
  /** A line for the server's log (stderr, which Codex keeps): what went wrong that no call could say. */
  log(message: string, error?: unknown): void;
}

/** The context of a server serving `root`. */
export function serverContext(root: string, env: ServerContext['env'], log: ServerContext['log'] = () => undefined): ServerContext {
  return { root, env, gitDir: findGitDir(root, env), kinds: runKinds(executors), runs: new RunRegistry(env), runsRoot: (where) => projectRunsDir(root, where), log };
}

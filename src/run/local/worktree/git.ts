import { execa, execaSync } from 'execa';

/** How one git command ended; a failure has the same shape as a success. */
export interface GitResult {
  ok: boolean;
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** Options of {@link git} and {@link gitSync}. */
export interface GitOptions {
  cwd: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** Standard input (a patch); default none. */
  input?: string;
}

// Git must never ask: no editor, no pager, no credential prompt, messages in one language.
const quiet = { GIT_TERMINAL_PROMPT: '0', GIT_EDITOR: 'true', GIT_PAGER: 'cat', LC_ALL: 'C' };

function optionsOf(options: GitOptions) {
  return {
    cwd: options.cwd,
    env: { ...(options.env ?? process.env), ...quiet },
    extendEnv: false,
    reject: false,
    stripFinalNewline: true,
    ...(options.input !== undefined ? { input: options.input } : { stdin: 'ignore' as const }),
    timeout: 120_000,
  };
}

function resultOf(result: { exitCode?: number | undefined; failed: boolean; stdout?: unknown; stderr?: unknown; shortMessage?: string | undefined }): GitResult {
  const stderr = typeof result.stderr === 'string' && result.stderr !== '' ? result.stderr : result.failed && result.exitCode === undefined ? (result.shortMessage ?? 'git could not run') : String(result.stderr ?? '');
  return { ok: !result.failed, exitCode: result.exitCode ?? null, stdout: String(result.stdout ?? ''), stderr };
}

/** Run `git ARGS` (argument array, no shell); never throws. */
export async function git(args: readonly string[], options: GitOptions): Promise<GitResult> {
  // A group of its own: Ctrl-C at the terminal stops the run, which then lets its git commands
  // finish, rather than git being killed halfway (a half-made worktree would stay locked).
  return resultOf(await execa('git', args, { ...optionsOf(options), detached: true }));
}

/** {@link git}, synchronously (for checks made while planning, before anything runs). */
export function gitSync(args: readonly string[], options: GitOptions): GitResult {
  return resultOf(execaSync('git', args, optionsOf(options)));
}

/**
 * The first line of git's complaint, for a one-line message: its first `fatal:` or `error:`
 * line, since progress lines (`Preparing worktree ...`) come first on the same stream.
 */
export function gitReason(result: GitResult): string {
  const lines = result.stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const line = lines.find((l) => /^(fatal|error): /.test(l)) ?? lines[0];
  return line?.replace(/^(fatal|error): /, '') ?? `git exited with ${String(result.exitCode)}`;
}

/**
 * `-c` options that let git commit without a configured identity: none when the user has one
 * (their name goes on the commit), else a stand-in, so that work is never lost to a missing
 * `user.email`. Signing is off: nothing may prompt the runner.
 */
export async function commitOptions(options: GitOptions): Promise<string[]> {
  const named = (await git(['config', 'user.email'], options)).ok;
  return [...(named ? [] : ['-c', 'user.name=orch-prompt', '-c', 'user.email=orch-prompt@localhost']), '-c', 'commit.gpgsign=false'];
}

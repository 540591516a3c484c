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

/**
 * What a repository's configuration may not make the runner's git run: an fsmonitor program
 * (on every index refresh), hooks (on checkout, commit, merge), a signing program, background
 * gc or maintenance. A run's git commands work on files a model wrote, sometimes on a
 * repository the user never looked at; they run no program but git. (A `filter` or `merge`
 * driver still runs: only the repository's own config can name one, and .git is the user's.)
 */
export const hardenedGit: readonly string[] = ['-c', 'core.fsmonitor=false', '-c', 'core.hooksPath=/dev/null', '-c', 'commit.gpgSign=false', '-c', 'gc.auto=0', '-c', 'maintenance.auto=false'];

/** `args` with {@link hardenedGit} first; a diff never runs an external diff or textconv program. */
export function gitArgs(args: readonly string[]): string[] {
  const [command, ...rest] = args;
  return [...hardenedGit, ...(command === 'diff' ? ['diff', '--no-ext-diff', '--no-textconv', ...rest] : args)];
}

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
  return resultOf(await execa('git', gitArgs(args), { ...optionsOf(options), detached: true }));
}

/** {@link git}, synchronously (for checks made while planning, before anything runs). */
export function gitSync(args: readonly string[], options: GitOptions): GitResult {
  return resultOf(execaSync('git', gitArgs(args), optionsOf(options)));
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
 * `user.email`. (Signing is off for every command: {@link hardenedGit}.)
 */
export async function commitOptions(options: GitOptions): Promise<string[]> {
  const named = (await git(['config', 'user.email'], options)).ok;
  return named ? [] : ['-c', 'user.name=orch-prompt', '-c', 'user.email=orch-prompt@localhost'];
}

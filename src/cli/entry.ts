import { UserError } from '../errors/index.js';
import type { CliIo } from './io.js';
import { main } from './main.js';
import { reportError } from './report-error.js';
import { lazyStdio } from './std-output.js';

/** Run the CLI in this process: wire real stdio, signals and the exit code. */
export async function runCli(): Promise<void> {
  // The one owner of signals: the first Ctrl-C, SIGTERM or SIGHUP (a closed terminal, a dropped
  // ssh session: Node's default would end the process without a word to its workers, which run
  // in sessions of their own) cancels what the command runs; a second one ends it at once
  // (through the command's kill hooks, else by ending the process).
  // Made when first asked for (a prompt never does: Node loads AbortController on first use);
  // one made after a signal came is born aborted.
  let cancel: AbortController | undefined;
  const controller = (): AbortController => {
    cancel ??= new AbortController();
    if (signals > 0) cancel.abort();
    return cancel;
  };
  const kills = new Set<() => void>();
  let signals = 0;
  const onSignal = (): void => {
    signals += 1;
    if (signals === 1) controller();
    else if (kills.size > 0) for (const hook of kills) hook();
    else process.exit(130);
  };
  // Output that cannot be written (a full disk) is one line and exit 1, also when the stream
  // reports it after the command ended; an error report that cannot be shown changes nothing.
  let outputFailed = false;
  let ended = false;
  const stdout = lazyStdio(1, () => process.stdout, (error) => {
    if (outputFailed) return;
    outputFailed = true;
    reportError(new UserError('file-unwritable', `cannot write to standard output (${error.code ?? 'unknown error'}): what was written is incomplete`), io);
    if (ended && !process.exitCode) process.exitCode = 1;
  });
  const stderr = lazyStdio(2, () => process.stderr, () => undefined);
  const handled = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const signal of handled) process.on(signal, onSignal);
  const io: CliIo = {
    stdout,
    stderr,
    // Read when a command needs it (`--version` and `--help` do not): a folder removed while a
    // shell sat in it is then that command's one-line error.
    get cwd() {
      return currentFolder();
    },
    env: process.env,
    get signal() {
      return controller().signal;
    },
    onKill(hook) {
      kills.add(hook);
      return () => kills.delete(hook);
    },
    onExit(hook) {
      process.once('exit', hook);
      return () => process.off('exit', hook);
    },
  };
  const code = await main(process.argv.slice(2), io);
  ended = true;
  for (const signal of handled) process.off(signal, onSignal);
  const interrupted = signals > 0;
  // Interrupted is interrupted, whatever the command made of it (a wait it gave up, an error).
  process.exitCode = interrupted ? 130 : code === 0 && outputFailed ? 1 : code;
}

/** The current folder. @throws {UserError} when it is gone (removed while a shell sat in it). */
function currentFolder(): string {
  try {
    return process.cwd();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new UserError('file-unreadable', `the current folder cannot be read (${code}: it was removed, or may not be entered): change to an existing folder and run again`, { data: { path: '.' } });
  }
}

void runCli();

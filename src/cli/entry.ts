import { main } from './main.js';
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
  const handled = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const signal of handled) process.on(signal, onSignal);
  const code = await main(process.argv.slice(2), {
    stdout: lazyStdio(1, () => process.stdout),
    stderr: lazyStdio(2, () => process.stderr),
    cwd: process.cwd(),
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
  });
  for (const signal of handled) process.off(signal, onSignal);
  const interrupted = signals > 0;
  // Interrupted is interrupted, whatever the command made of it (a wait it gave up, an error).
  process.exitCode = interrupted ? 130 : code;
}

void runCli();

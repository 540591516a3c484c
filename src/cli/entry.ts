import { main } from './main.js';

/** Run the CLI in this process: wire real stdio, signals and the exit code. */
export async function runCli(): Promise<void> {
  const controller = new AbortController();
  let interrupted = false;
  const onSignal = (): void => {
    if (interrupted) return;
    interrupted = true;
    controller.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const code = await main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
    env: process.env,
    signal: controller.signal,
  });
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  // Interrupted is interrupted, whatever the command made of it (a wait it gave up, an error).
  process.exitCode = interrupted ? 130 : code;
}

void runCli();

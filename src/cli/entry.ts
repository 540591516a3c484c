import { main } from './main.js';
import { lazyStdio } from './std-output.js';

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
    stdout: lazyStdio(1, () => process.stdout),
    stderr: lazyStdio(2, () => process.stderr),
    cwd: process.cwd(),
    env: process.env,
    signal: controller.signal,
  });
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  process.exitCode = interrupted && code === 0 ? 130 : code;
}

void runCli();

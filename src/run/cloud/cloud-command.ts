import type { CloudConfig } from './model.js';

/** The `codex cloud exec` command line of a cloud worker, as recorded (the prompt goes on stdin). */
export function cloudExecArgs(config: Pick<CloudConfig, 'env' | 'attempts' | 'branch'>): string[] {
  const args = ['cloud', 'exec', '--env', config.env, '--attempts', String(config.attempts)];
  if (config.branch !== undefined) args.push('--branch', config.branch);
  args.push('-');
  return args;
}

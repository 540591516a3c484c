import { UserError } from '../../errors/index.js';

/**
 * A value a worker's command line carries after an option (`-m MODEL`, `--env ENV`,
 * `--branch BRANCH`), when it cannot be read as an option of its own or split: not empty, no
 * leading `-`, no line break.
 *
 * @throws {UserError} `worker-invalid` naming `what` and `where`.
 */
export function checkArgumentValue(value: string, what: string, where: string): string {
  if (value === '' || value.startsWith('-') || /[\r\n\0]/.test(value)) {
    throw new UserError('worker-invalid', `run: ${where}: ${what} \`${JSON.stringify(value).slice(1, -1).slice(0, 80)}\` is not a value codex can take (it is empty, starts with \`-\` or holds a line break)`);
  }
  return value;
}

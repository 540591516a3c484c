import { homedir, userInfo } from 'node:os';
import { isAbsolute } from 'node:path';

type Env = Readonly<Record<string, string | undefined>>;

/** `value` when it is an absolute path; undefined when it is unset, blank or relative. */
export function absolutePath(value: string | undefined): string | undefined {
  return value !== undefined && isAbsolute(value) ? value : undefined;
}

/**
 * The user's home folder: `HOME` when it is an absolute path, else the account's home from the
 * password database. A blank or relative `HOME` names no folder of its own: joined to
 * `.codex` or `.local/state` it is a folder below wherever the command runs (Node's
 * `homedir()` gives a blank `HOME` back as it is), so the skill would be installed, and the
 * run key written, into the project.
 */
export function userHome(env: Env): string {
  const home = absolutePath(env['HOME']);
  if (home !== undefined) return home;
  try {
    const account = absolutePath(userInfo().homedir);
    if (account !== undefined) return account;
  } catch {
    // no entry in the password database (a container's random uid): the OS's answer
  }
  return homedir();
}

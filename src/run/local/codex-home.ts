import { join } from 'node:path';
import { userHome } from '../../fs/home.js';
import { nonBlank } from '../../text/non-blank.js';

/**
 * The Codex home folder a `codex` process started with `env` uses, as Codex 0.169 resolves it:
 * `CODEX_HOME` when set and not blank, else `.codex` in `HOME` (else this user's home folder).
 * Its `config.toml` decides the model endpoint; its `sessions/` folder holds the rollouts.
 */
export function codexHome(env: Readonly<Record<string, string | undefined>>): string {
  return nonBlank(env['CODEX_HOME']) ?? join(userHome(env), '.codex');
}

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { closeSync, fstatSync, linkSync, lstatSync, mkdirSync, openSync, readSync, rmSync, writeFileSync, constants } from 'node:fs';
import { dirname, join } from 'node:path';
import { absolutePath, userHome } from '../../fs/home.js';

type Env = Readonly<Record<string, string | undefined>>;

// A run folder sits in the project, where anyone who can write the project (a cloned repository,
// another tool, a worker) can write it too. What it says about how workers run (the program,
// the sandbox, the config, the folders) is trusted only when this user's orch-prompt can prove
// it wrote it: the manifest carries an HMAC under a key that lives outside every project, in
// the user's state folder, readable by the user alone.

const keyBytes = 32;
const sealPrefix = 'hmac-sha256:';

/** The keys a run record is sealed and checked with. */
export interface RunKeys {
  /** The key new records are sealed with; null when no key could be read or made (see `problem`). */
  seal: Buffer | null;
  /** Every key a record may have been sealed with (the state folder's, then the fallback's). */
  verify: Buffer[];
  /** Why there is no key to seal with. */
  problem?: string;
}

/**
 * Where the key may live: `$XDG_STATE_HOME/orch-prompt/run-key` (default
 * `~/.local/state/orch-prompt/run-key`), else, where that cannot be written (inside Codex's
 * sandbox the home folder is read-only), `$TMPDIR/orch-prompt-<uid>/run-key` in a folder only
 * the user may enter.
 */
export function runKeyFiles(env: Env): KeyPlace[] {
  // Never a relative path (the XDG rule: a relative one is ignored): it would be in the project.
  const state = absolutePath(env['XDG_STATE_HOME']) ?? join(userHome(env), '.local', 'state');
  const temporary = absolutePath(env['TMPDIR']) ?? '/tmp';
  return [
    { file: join(state, 'orch-prompt', 'run-key'), shared: false },
    { file: join(temporary, `orch-prompt-${currentUid()}`, 'run-key'), shared: true },
  ];
}

/** A place a run key may live; `shared`: in a folder other users may write (a temporary folder). */
export interface KeyPlace {
  file: string;
  shared: boolean;
}

/**
 * This user's run keys: the first key file that holds a key this user alone can read; when
 * none does and `create`, one is made in the first place that can be written. Never throws: a
 * machine where no key can be kept seals nothing, and its records are then refused where trust
 * is needed.
 */
export function runKeys(env: Env, options: { create: boolean }): RunKeys {
  const places = runKeyFiles(env);
  const verify = places.map(readKey).filter((key): key is Buffer => key !== null);
  if (verify.length > 0) return { seal: verify[0] as Buffer, verify };
  if (!options.create) return { seal: null, verify: [], problem: `no run key in ${places.map((p) => p.file).join(' or ')}` };
  const reasons: string[] = [];
  for (const place of places) {
    const made = makeKey(place);
    if (Buffer.isBuffer(made)) return { seal: made, verify: [made] };
    reasons.push(`${place.file}: ${made}`);
  }
  return { seal: null, verify: [], problem: `no key to seal run records with (${reasons.join('; ')})` };
}

/** The seal of a record's text under `key`. */
export function sealOf(key: Buffer, body: string): string {
  return `${sealPrefix}${createHmac('sha256', key).update(body).digest('hex')}`;
}

/** Whether `seal` was made over `body` with one of `keys`. */
export function sealMatches(keys: readonly Buffer[], body: string, seal: string): boolean {
  if (!seal.startsWith(sealPrefix)) return false;
  const given = Buffer.from(seal.slice(sealPrefix.length), 'hex');
  return keys.some((key) => {
    const expected = Buffer.from(sealOf(key, body).slice(sealPrefix.length), 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

function currentUid(): number {
  return typeof process.getuid === 'function' ? process.getuid() : 0;
}

/**
 * Whether the key's folder is this user's and no one else may write it (nor, in a shared
 * temporary folder, enter it: another user could otherwise have made it first).
 */
function ownFolder(place: KeyPlace): boolean {
  try {
    const stat = lstatSync(dirname(place.file));
    return stat.isDirectory() && stat.uid === currentUid() && (stat.mode & (place.shared ? 0o077 : 0o022)) === 0;
  } catch {
    return false;
  }
}

/** The key of a place, when its file is a regular file of this user that only the user can read. */
function readKey(place: KeyPlace): Buffer | null {
  if (!ownFolder(place)) return null;
  const file = place.file;
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | (constants.O_NONBLOCK ?? 0));
  } catch {
    return null;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.uid !== currentUid() || (stat.mode & 0o077) !== 0 || stat.size !== keyBytes * 2) return null;
    const text = Buffer.alloc(keyBytes * 2);
    if (readSync(fd, text, 0, text.length, 0) !== text.length) return null;
    return /^[0-9a-f]+$/.test(text.toString('latin1')) ? Buffer.from(text.toString('latin1'), 'hex') : null;
  } finally {
    closeSync(fd);
  }
}

/**
 * Make a key in `file`: written whole beside it, then linked into place, so that two runners
 * making one at once agree on the key that won. Returns the key, or why it could not be made.
 */
function makeKey(place: KeyPlace): Buffer | string {
  const file = place.file;
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? String(error);
  }
  if (!ownFolder(place)) return `its folder is not yours alone`;
  const temporary = `${file}.${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    writeFileSync(temporary, randomBytes(keyBytes).toString('hex'), { mode: 0o600, flag: 'wx' });
    try {
      linkSync(temporary, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? String(error);
  } finally {
    rmSync(temporary, { force: true });
  }
  return readKey(place) ?? 'the key file is not a private regular file';
}

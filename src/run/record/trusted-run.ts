import { basename } from 'node:path';
import { UserError } from '../../errors/index.js';
import { manifestSealed, readManifest, stillSealedAs } from './manifest.js';
import type { RecordKinds } from './manifest-schema.js';
import type { Manifest } from './model.js';
import { takeRunFolder, type OwnerLock } from './owner-lock.js';
import { runKeys } from './seal.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Check that this user's orch-prompt wrote `manifest` as it is (its seal), and return the key to
 * seal it again with. `where` names the request in the message.
 *
 * @throws {UserError} `run-untrusted`: no seal, or one that does not match.
 */
export function requireSealed(manifest: Manifest, runDir: string, where: string, env: Env): Buffer | null {
  const keys = runKeys(env, { create: false });
  if (manifestSealed(manifest, keys.verify)) return keys.seal;
  const why = manifest.seal === undefined ? 'its manifest carries no seal' : "its manifest's seal does not match its content";
  throw new UserError(
    'run-untrusted',
    `${where}: ${runDir} was not written by your orch-prompt as it is (${why}); a run folder is data, and cannot choose what runs or which branches are touched, so nothing was done`,
    { data: { runDir } },
  );
}

/** A recorded run opened to change what it left (its worktrees, branches, applied tasks). */
export interface RunToChange {
  manifest: Manifest;
  /** The key to seal the manifest again with. */
  key: Buffer | null;
  lock: OwnerLock;
}

/**
 * Open the run in `runDir` to act on what it left (`runs apply`, `runs clean`): its manifest must
 * be sealed by this user's orch-prompt and name this folder (a copy under another name would
 * act on the original's branches), and no live runner may own it. Held until `lock.release()`.
 *
 * @throws {UserError} `manifest-invalid`, `run-untrusted` or `run-still-running`.
 */
export function openRunToChange(runDir: string, where: string, env: Env, kinds: RecordKinds): RunToChange {
  const manifest = readManifest(runDir, kinds);
  if (manifest === null) throw new UserError('manifest-invalid', `${where}: ${runDir} has no manifest.json`);
  const key = requireSealed(manifest, runDir, where, env);
  if (manifest.id !== basename(runDir)) {
    throw new UserError('run-untrusted', `${where}: ${runDir} records run ${manifest.id}, not a run of that name (a copied or renamed run folder); act on the run in its own folder`, { data: { runDir } });
  }
  const lock = takeRunFolder(runDir, where);
  // Read before the folder was ours: a runner that ended meanwhile may have written it again.
  if (!stillSealedAs(runDir, kinds, manifest.seal)) {
    lock.release();
    throw new UserError('run-still-running', `${where}: the run changed while it was being read (another runner was finishing it); try again`);
  }
  return { manifest, key, lock };
}

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binPath, type CliResult } from './cli.js';

// A disk that fills up, for real: a small tmpfs mounted over a folder, in a mount namespace of
// its own (`unshare -rm`, no privileges needed where user namespaces are allowed), so that
// writes there fail with ENOSPC exactly as on a full disk. Nothing outside the namespace sees it.

/** Whether this machine can mount a tmpfs in a user and mount namespace. */
export const canFillDisk: boolean = (() => {
  const dir = mkdtempSync(join(tmpdir(), 'orch-small-disk-'));
  try {
    return spawnSync('unshare', ['-rm', 'sh', '-c', 'mount -t tmpfs -o size=64k none "$0"', dir], { stdio: 'ignore' }).status === 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
})();

/**
 * Run the CLI with a `size` (`1400k`) tmpfs mounted on `mountAt` (made when missing); what the
 * run left there is copied to `copyTo` before the namespace, and the disk with it, goes away.
 */
export function runOnSmallDisk(args: readonly string[], options: { cwd: string; env: Record<string, string>; mountAt: string; size: string; copyTo: string }): CliResult {
  const script = 'dir="$1"; size="$2"; out="$3"; shift 3; mkdir -p "$dir" && mount -t tmpfs -o size="$size" none "$dir" || exit 97; "$@"; status=$?; mkdir -p "$out"; cp -R "$dir/." "$out/"; exit $status';
  const result = spawnSync('unshare', ['-rm', 'sh', '-c', script, 'sh', options.mountAt, options.size, options.copyTo, process.execPath, binPath, ...args], {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    input: '',
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr, ...(result.signal ? { signal: result.signal } : {}) };
}

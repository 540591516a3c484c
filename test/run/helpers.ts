import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, onTestFinished } from 'vitest';
import { alive, carriesVariable } from '../../src/run/local/process-tree.js';
import { runKeys } from '../../src/run/record/seal.js';
import { writeManifest } from '../../src/run/record/manifest.js';
import type { Manifest, WorkerRecord } from '../../src/run/record/model.js';
import type { WorktreeRecord } from '../../src/run/local/model.js';
import type { CloudRecord } from '../../src/run/cloud/model.js';
import { binPath, runMain, type CliResult } from '../support/cli.js';

/** The fake `codex` used by the fast tests (see its header for the modes). */
export const fakeCodex = fileURLToPath(new URL('../fixtures/run/fake-codex/codex', import.meta.url));

/** Fixture folder of a case. */
export function fixture(...parts: string[]): string {
  return fileURLToPath(new URL(`../fixtures/run/${parts.join('/')}`, import.meta.url));
}

/** A fresh temporary folder, removed when the test ends. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'orch-run-test-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Run `orch-prompt run ARGS` in-process with the real environment plus `env`. */
export function run(args: readonly string[], options: { cwd: string; env?: Record<string, string>; signal?: AbortSignal }): Promise<CliResult> {
  return runMain(['run', ...args], { cwd: options.cwd, env: { ...(process.env as Record<string, string>), ...options.env } });
}

/**
 * Write a manifest as this user's orch-prompt writes it: sealed with the user's run key (for
 * tests that change a record the user's own runner wrote). A manifest written any other way is
 * someone else's, and the runner refuses to act on it.
 */
export function writeSealed(runDir: string, manifest: Manifest): void {
  writeManifest(runDir, manifest, runKeys(process.env, { create: true }).seal);
}

/** `orch-prompt runs resume ARGS` in-process, like {@link run}. */
export function resume(args: readonly string[], options: { cwd: string; env?: Record<string, string> }): Promise<CliResult> {
  return runMain(['runs', 'resume', ...args], { cwd: options.cwd, env: { ...(process.env as Record<string, string>), ...options.env } });
}

/** Read a run's manifest. */
export function manifestOf(runDir: string): Manifest {
  return JSON.parse(readFileSync(join(runDir, 'manifest.json'), 'utf8')) as Manifest;
}

/** A worker by id, failing loudly when it is missing. */
export function worker(manifest: Manifest, id: string): WorkerRecord {
  const found = manifest.workers.find((w) => w.id === id);
  if (!found) throw new Error(`no worker ${id} in ${manifest.workers.map((w) => w.id).join(', ')}`);
  return found;
}

/** The largest number of workers whose [startedAt, finishedAt] intervals overlap at one instant. */
export function maxOverlap(workers: readonly WorkerRecord[]): number {
  const points = workers.flatMap((w) => [
    { t: Date.parse(w.startedAt as string), d: 1 },
    { t: Date.parse(w.finishedAt as string), d: -1 },
  ]);
  points.sort((a, b) => a.t - b.t || a.d - b.d);
  let now = 0;
  let max = 0;
  for (const p of points) max = Math.max(max, (now += p.d));
  return max;
}

/**
 * When the test ends, however it ends, kill a runner process it started (if any) and every
 * process id listed in `pidsFiles` (the fake codex appends its own and its grandchild's), so
 * that a failing test leaves nothing running.
 */
export function killWhenDone(child: ChildProcess | undefined, ...pidsFiles: string[]): void {
  onTestFinished(() => {
    child?.kill('SIGKILL');
    for (const file of pidsFiles) {
      for (const pid of existsSync(file) ? pidsIn(file) : []) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  });
}

/** The process ids listed in a file, one a line. */
export function pidsIn(file: string): number[] {
  return readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map(Number);
}

/**
 * Start `orch-prompt run ARGS` as a process of its own, wait until the fake codex has written
 * `pids` (its worker runs), then kill the runner outright (SIGKILL): its workers are left behind.
 */
export async function killRunnerMidRun(args: readonly string[], options: { cwd: string; env: Record<string, string>; pids: string }): Promise<void> {
  const child = spawn(process.execPath, [binPath, 'run', ...args], { cwd: options.cwd, env: { ...process.env, ...options.env, FAKE_CODEX_PIDS: options.pids }, stdio: 'ignore' });
  killWhenDone(child, options.pids);
  const exited = new Promise((resolveExit) => child.on('exit', resolveExit));
  for (let i = 0; i < 150 && !existsSync(options.pids); i++) await new Promise((r) => setTimeout(r, 100));
  child.kill('SIGKILL');
  await exited;
}

/**
 * The processes listed in `file` (by the fake codex) that still run and are still the fake
 * codex's: their environment names `file`. The suite starts thousands of processes and process
 * ids wrap (at 32,768 here), so an id alone may by now be another process's.
 */
export function liveFrom(file: string): number[] {
  return (existsSync(file) ? pidsIn(file) : []).filter((pid) => alive(pid) && carriesVariable(pid, 'FAKE_CODEX_PIDS', file));
}

/** Matches a worker's `attempts` list of `n` attempts (for toMatchObject). */
export function nAttempts(n: number): unknown[] {
  return Array.from({ length: n }, () => expect.objectContaining({ n: expect.any(Number) }));
}

/** A local worker's git worktree, as its executor recorded it (`executor.worktree`). */
export function worktreeOf(record: WorkerRecord | undefined): WorktreeRecord | undefined {
  return record?.executor['worktree'] as WorktreeRecord | undefined;
}

/** A cloud worker's record (`executor`: its environment, attempts, branch and tasks). */
export function cloudOf(record: WorkerRecord | undefined): CloudRecord | undefined {
  return record?.executor.kind === 'cloud' ? (record.executor as unknown as CloudRecord) : undefined;
}

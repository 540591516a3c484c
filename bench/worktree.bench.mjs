// Worktree isolation overhead: one editing worker (a fake codex that answers after 1 s) run in
// a repository of 5,000 files, with `--isolation worktree` against without, interleaved. The
// difference is what the worktree costs the run. Each case has a repository of its own, since
// the worktree pool is per repository:
// - the worker changes nothing, pool on (the default): after the first run, each run takes the
//   parked worktree over and parks it again. Target: under 10% of the 1-second worker;
// - the same with `--worktree-pool 0`: `git worktree add` and `git worktree remove` each time,
//   which is what a run costs when the pool is empty (the first run in a repository);
// - the worker changes a file: the worktree is committed and kept, so the pool stays empty and
//   every run checks the files out.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compare, timeOnce } from './lib.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin/orch-prompt.mjs');
const fakeCodex = join(root, 'test/fixtures/run/fake-codex/codex');
const scratch = mkdtempSync(join(tmpdir(), 'orch-bench-worktree-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

const gitConfig = join(scratch, 'gitconfig');
writeFileSync(gitConfig, '[user]\n\tname = Bench\n\temail = bench@example.com\n[init]\n\tdefaultBranch = main\n');
const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: gitConfig, NO_COLOR: '1', FAKE_CODEX_DELAY_MS: '1000' };
const base = join(scratch, 'base');
for (let d = 0; d < 50; d++) {
  mkdirSync(join(base, `dir-${d}`), { recursive: true });
  for (let f = 0; f < 100; f++) writeFileSync(join(base, `dir-${d}`, `file-${f}.ts`), `export const value${f} = ${d * 100 + f};\n`.repeat(20));
}
const git = (cwd, ...args) => execFileSync('git', args, { cwd, env, stdio: 'ignore' });
git(base, 'init', '--quiet');
git(base, 'add', '-A');
git(base, 'commit', '--quiet', '-m', 'base');
const repoFor = (name) => {
  git(scratch, 'clone', '--quiet', base, name);
  return join(scratch, name);
};

let n = 0;
// Writing 5,000 files leaves the disk busy after the command ends: each run starts from a disk
// with nothing left to write back (`sync`, not timed), so one case's checkout does not slow the next.
const worker = (repo, args, extraEnv = {}) => () => {
  execFileSync('sync');
  return timeOnce(process.execPath, [bin, 'run', 'implementer', '--deliverable', 'x', '--scope', 'may edit dir-0', '--codex-bin', fakeCodex, ...args, '--run-dir', join(scratch, 'runs', `run-${n++}`)], {
    cwd: repo,
    env: { ...env, ...extraEnv },
  });
};
const changeOne = { FAKE_CODEX_WRITE: JSON.stringify({ 'dir-0/file-0.ts': 'changed\n' }) };
const runs = Number(process.env.BENCH_RUNS ?? 8);
const report = (title, results, target) => {
  console.log(`\n## ${title}`);
  for (const r of results) console.log(`  ${r.name.padEnd(60)} ${r.median.toFixed(1).padStart(8)} ms  (median of ${r.runs})`);
  for (const r of results.slice(1)) {
    const share = (r.median - results[0].median) / 1000;
    const verdict = target === undefined ? '' : ` (target < ${target * 100}%) ${share < target ? 'OK' : 'OVER TARGET'}`;
    console.log(`  ${r.name}: +${(r.median - results[0].median).toFixed(0)} ms, ${(share * 100).toFixed(1)}% of the 1 s worker${verdict}`);
  }
};
const plain = worker(repoFor('plain'), ['--isolation', 'none']);
const baseline = { name: 'run implementer (no isolation), 1 s worker', run: plain };
// The target: side by side with the plain run only, so that the heavy cases below do not weigh on it.
report(
  'Worktree per worker: repository of 5,000 files, 1 s worker, pool on (the default)',
  compare([baseline, { name: '--isolation worktree, changes nothing (pooled worktree)', run: worker(repoFor('pooled'), ['--isolation', 'worktree']) }], { runs, warmup: 1 }),
  0.1,
);
report(
  'Worktree per worker without the pool: repository of 5,000 files, 1 s worker',
  compare(
    [
      baseline,
      { name: '--isolation worktree --worktree-pool 0 (add + remove)', run: worker(repoFor('unpooled'), ['--isolation', 'worktree', '--worktree-pool', '0']) },
      { name: '--isolation worktree, changes a file (add + commit, kept)', run: worker(repoFor('kept'), ['--isolation', 'worktree'], changeOne) },
    ],
    { runs: Math.max(3, Math.ceil(runs / 2)), warmup: 1 },
  ),
);

// Worktree isolation overhead: one editing worker (a fake codex that answers after 1 s) run in
// a repository of 5,000 files, with `--isolation worktree` against without, interleaved. The
// difference is what the worktree costs the run. Each case has a repository of its own, since
// the worktree pool is per repository:
// - the worker changes nothing, pool on (the default): after the first run, each run takes the
//   parked worktree over and parks it again;
// - the same with `--set worktree-pool=0`: `git worktree add` and `git worktree remove` each time,
//   which is what a run costs when the pool is empty (the first run in a repository);
// - the worker changes a file: the worktree is committed and kept, so the pool stays empty and
//   every run checks the files out.
// These include what a run does once, whatever its number of workers: ask git where the
// repository is and whether it has uncommitted changes (about 50 ms here). The last section
// times the worktree alone, in-process: created for a worker (taken from the pool) and removed
// after it (parked again), what each worker of a run pays. Target: under 10% of the 1-second
// worker.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compare, median, startBenchModel, timeOnce } from './lib.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin/orch-prompt.cjs');
const fakeCodex = join(root, 'test/fixtures/run/fake-codex/codex');
const scratch = mkdtempSync(join(tmpdir(), 'orch-bench-worktree-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

const gitConfig = join(scratch, 'gitconfig');
writeFileSync(gitConfig, '[user]\n\tname = Bench\n\temail = bench@example.com\n[init]\n\tdefaultBranch = main\n');
// The runner checks the model endpoint before any worker: a loopback model answers it (the fake
// codex never calls it).
const model = await startBenchModel(scratch, () => ({ text: 'done' }));
process.on('exit', () => model.home.cleanup());
const env = { ...process.env, ...model.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: gitConfig, NO_COLOR: '1', FAKE_CODEX_DELAY_MS: '1000' };
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
  return timeOnce(process.execPath, [bin, 'run', 'implementer', '--deliverable', 'x', '--scope', 'may edit dir-0', '--set', `codex-bin=${fakeCodex}`, ...args, '--run-dir', join(scratch, 'runs', `run-${n++}`)], {
    cwd: repo,
    env: { ...env, ...extraEnv },
  });
};
const changeOne = { FAKE_CODEX_WRITE: JSON.stringify({ 'dir-0/file-0.ts': 'changed\n' }) };
const runs = Number(process.env.BENCH_RUNS ?? 8);
const report = (title, results) => {
  console.log(`\n## ${title}`);
  for (const r of results) console.log(`  ${r.name.padEnd(60)} ${r.median.toFixed(1).padStart(8)} ms  (median of ${r.runs})`);
  for (const r of results.slice(1)) console.log(`  ${r.name}: +${(r.median - results[0].median).toFixed(0)} ms, ${(((r.median - results[0].median) / 1000) * 100).toFixed(1)}% of the 1 s worker`);
};
const plain = worker(repoFor('plain'), ['--isolation', 'none']);
const baseline = { name: 'run implementer (no isolation), 1 s worker', run: plain };
// Side by side with the plain run only, so that the heavy cases below do not weigh on it.
report(
  'A one-worker run with a worktree: repository of 5,000 files, 1 s worker, pool on (the default)',
  compare([baseline, { name: '--isolation worktree, changes nothing (pooled worktree)', run: worker(repoFor('pooled'), ['--isolation', 'worktree']) }], { runs, warmup: 1 }),
);
report(
  'A one-worker run with a worktree, without the pool: repository of 5,000 files, 1 s worker',
  compare(
    [
      baseline,
      { name: '--isolation worktree --set worktree-pool=0 (add + remove)', run: worker(repoFor('unpooled'), ['--isolation', 'worktree', '--set', 'worktree-pool=0']) },
      { name: '--isolation worktree, changes a file (add + commit, kept)', run: worker(repoFor('kept'), ['--isolation', 'worktree'], changeOne) },
    ],
    { runs: Math.max(3, Math.ceil(runs / 2)), warmup: 1 },
  ),
);

// The worktree alone: the runner's own create and finish steps (dist/lib), one worker's worktree
// at a time, nothing else; interleaved with the same against an empty pool.
const { createWorktree, finishWorktree } = await import(pathToFileURL(join(root, 'dist/lib/run/local/worktree/lifecycle.js')).href);
const gitOut = (cwd, ...args) => execFileSync('git', args, { cwd, env, encoding: 'utf8' }).trim();
const lifecycle = (repo, poolSize) => {
  const head = gitOut(repo, 'rev-parse', 'HEAD');
  let i = 0;
  return async () => {
    const runDir = join(scratch, 'lifecycle', `${poolSize}-${i++}`);
    const record = { repo: realpathSync(repo), commonDir: realpathSync(join(repo, '.git')), base: head, branch: `orch/bench-${poolSize}-${i}/w`, path: join(runDir, 'w', 'worktree'), fromDirty: false, state: 'planned' };
    const start = process.hrtime.bigint();
    const serial = (step) => step();
    const created = await createWorktree(record, { env, runDir, serial });
    const finished = await finishWorktree(record, { env, message: 'bench', poolSize, paths: [''], serial });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (!created.ok || !finished.ok || record.state !== 'removed') throw new Error(`worktree lifecycle failed: ${JSON.stringify({ created, finished, state: record.state })}`);
    return ms;
  };
};
const cases = [
  { name: 'create + remove, pool on (taken over, parked again)', run: lifecycle(repoFor('lifecycle-pooled'), 4), times: [] },
  { name: 'create + remove, pool off (git worktree add + remove)', run: lifecycle(repoFor('lifecycle-unpooled'), 0), times: [] },
];
for (let round = 0; round < 1 + runs; round++) {
  for (const c of cases) {
    execFileSync('sync');
    const ms = await c.run();
    if (round > 0) c.times.push(ms);
  }
}
console.log('\n## The worktree alone (per worker): repository of 5,000 files, in-process');
for (const c of cases) {
  const ms = median(c.times);
  const share = ms / 1000;
  console.log(`  ${c.name.padEnd(60)} ${ms.toFixed(1).padStart(8)} ms  (median of ${c.times.length}), ${(share * 100).toFixed(1)}% of a 1 s worker${c === cases[0] ? ` (target < 10%) ${share < 0.1 ? 'OK' : 'OVER TARGET'}` : ''}`);
}
await model.server.close();

// Worktree isolation overhead: one editing worker (a fake codex that answers after 1 s) run in
// a repository of 5,000 files, with `--isolation worktree` against without, interleaved. The
// difference is the cost of creating the worktree and removing it again (the worker changed
// nothing) or committing and keeping it (the worker changed one file). Target: under 10% of
// the 1-second worker.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compare, printResults, timeOnce } from './lib.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin/orch-prompt.mjs');
const fakeCodex = join(root, 'test/fixtures/run/fake-codex/codex');
const scratch = mkdtempSync(join(tmpdir(), 'orch-bench-worktree-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

const gitConfig = join(scratch, 'gitconfig');
writeFileSync(gitConfig, '[user]\n\tname = Bench\n\temail = bench@example.com\n[init]\n\tdefaultBranch = main\n');
const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: gitConfig, NO_COLOR: '1', FAKE_CODEX_DELAY_MS: '1000' };
const repo = join(scratch, 'repo');
for (let d = 0; d < 50; d++) {
  mkdirSync(join(repo, `dir-${d}`), { recursive: true });
  for (let f = 0; f < 100; f++) writeFileSync(join(repo, `dir-${d}`, `file-${f}.ts`), `export const value${f} = ${d * 100 + f};\n`.repeat(20));
}
const git = (...args) => execFileSync('git', args, { cwd: repo, env, stdio: 'ignore' });
git('init', '--quiet');
git('add', '-A');
git('commit', '--quiet', '-m', 'base');

let n = 0;
const worker = (isolation, extraEnv = {}) => () =>
  timeOnce(process.execPath, [bin, 'run', 'implementer', '--deliverable', 'x', '--scope', 'may edit dir-0', '--codex-bin', fakeCodex, '--isolation', isolation, '--run-dir', join(scratch, 'runs', `run-${n++}`)], {
    cwd: repo,
    env: { ...env, ...extraEnv },
  });
const changeOne = { FAKE_CODEX_WRITE: JSON.stringify({ 'dir-0/file-0.ts': 'changed\n' }) };
const runs = Number(process.env.BENCH_RUNS ?? 8);
const results = compare(
  [
    { name: 'run implementer (no isolation), 1 s worker', run: worker('none') },
    { name: '--isolation worktree, worker changes nothing (add + remove)', run: worker('worktree') },
    { name: '--isolation worktree, worker changes a file (add + commit, kept)', run: worker('worktree', changeOne) },
  ],
  { runs, warmup: 1 },
);
printResults('Worktree per worker: repository of 5,000 files, 1 s worker', results, 0, 1.1);
for (const r of results.slice(1)) console.log(`  ${r.name}: +${(r.median - results[0].median).toFixed(0)} ms (${(((r.median - results[0].median) / 1000) * 100).toFixed(1)}% of the 1 s worker)`);

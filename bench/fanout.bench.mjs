// Fan-out overhead: `orch-prompt run` with 8 workers against the same 8 `codex exec` started by
// `xargs -P 8`: same prompts, same mock model (fixed 1 s latency), interleaved runs.
// Both sides run the same codex with the same flags: the runner starts the native binary that
// npm's launcher (node_modules/.bin/codex) would start (docs/runner.md, "What starts"); the
// baseline goes through the launcher, as `codex exec` typed by a user does.
import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { median, printResults, startBenchModel } from './lib.mjs';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin/orch-prompt.cjs');
const scratch = mkdtempSync(join(tmpdir(), 'orch-bench-fanout-'));

// If this benchmark is stopped midway, the codex processes it started (the xargs baseline puts
// them in sessions of their own) would wait forever for the vanished mock model: end every
// process whose command line names this scratch folder.
function endLeftovers() {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(scratch)) process.kill(Number(entry), 'SIGKILL');
    } catch {
      // gone already, or not ours to read
    }
  }
}
process.on('exit', () => {
  endLeftovers();
  rmSync(scratch, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(signal, () => process.exit(130));

const codex = join(root, 'node_modules/.bin/codex');
const { server, home } = await startBenchModel(scratch, () => ({ text: 'done', delayMs: 1000 }));
const env = { ...process.env, ...home.env, NO_COLOR: '1' };
const work = join(scratch, 'work');
mkdirSync(work);

const lenses = ['risks', 'correctness', 'security', 'performance', 'clarity', 'consistency', 'evidence', 'compatibility'];
// The same prompts for both sides: rendered once by orch-prompt itself.
const prompts = join(scratch, 'prompts');
mkdirSync(prompts);
for (const lens of lenses) {
  await run(process.execPath, [bin, 'reviewer', '--artefact', 'src/', '--lens', lens, '--out', join(prompts, `${lens}.md`)], { cwd: work, env });
}
// One worker as a shell line: the same codex command the runner builds (both sides without
// Codex's login-shell snapshot, which on these machines can stall on pyenv's rehash lock). `$3` may be `setsid -w`:
// codex exec runs markedly slower when 8 of them share one process group (as xargs children
// do), and the runner starts each worker as its own group, so that baseline isolates the
// runner's own overhead.
const script = join(scratch, 'one.sh');
writeFileSync(
  script,
  `#!/bin/sh\nset -e\nout="$2/$1"\nmkdir -p "$out"\n$3 "${codex}" exec --json -o "$out/last-message.md" --sandbox read-only --disable multi_agent --disable multi_agent_v2 -C "${work}" --skip-git-repo-check -c features.shell_snapshot=false - < "${prompts}/$1.md" > "$out/events.jsonl" 2> "$out/stderr.log"\n`,
  { mode: 0o755 },
);
const xargs = (dir, prefix) => `printf '%s\\n' ${lenses.join(' ')} | xargs -P 8 -I{} "${script}" {} "${dir}" ${prefix}`;

let round = 0;
async function timeIt(fn) {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}
const candidates = [
  {
    name: 'orch-prompt run reviewer --each-lens <8> --max-parallel 8',
    run: () =>
      timeIt(() =>
        run(process.execPath, [bin, 'run', 'reviewer', '--artefact', 'src/', '--each-lens', lenses.join(','), '--max-parallel', '8', '--set', `codex-bin=${codex}`, '-c', 'features.shell_snapshot=false', '--run-dir', join(scratch, `run-${round}`), '--format', 'json'], { cwd: work, env, maxBuffer: 1 << 24 }),
      ),
  },
  {
    name: 'xargs -P 8 setsid -w codex exec (same prompts)',
    run: () => timeIt(() => run('sh', ['-c', xargs(join(scratch, `setsid-${round}`), "'setsid -w'")], { cwd: work, env })),
  },
  {
    name: 'xargs -P 8 codex exec (same prompts)',
    run: () => timeIt(() => run('sh', ['-c', xargs(join(scratch, `xargs-${round}`), "''")], { cwd: work, env })),
  },
];

const runs = Number(process.env.BENCH_RUNS ?? 4);
const warmup = 1;
const times = candidates.map(() => []);
for (round = 0; round < warmup + runs; round++) {
  for (const [i, candidate] of candidates.entries()) {
    const ms = await candidate.run();
    if (round >= warmup) times[i].push(ms);
  }
}
endLeftovers();
await server.close();
home.cleanup();
const results = candidates.map((c, i) => ({ name: c.name, median: median(times[i]), runs }));
printResults('Fan-out overhead: 8 workers, mock model with 1 s latency', results, 1, 1.0);
console.log(`  ratio against plain xargs -P 8 (shared process group): ${(results[0].median / results[2].median).toFixed(2)}x`);

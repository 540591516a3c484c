// Shared helpers for the benchmarks: time whole commands side by side, interleaved, so that
// machine noise hits both sides alike; report medians and their ratio.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

/** Wall time of one run of a command, in milliseconds. */
export function timeOnce(command, args, options = {}) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], ...options });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0 && !options.allowFailure) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${String(result.stderr).slice(0, 500)}`);
  }
  return ms;
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Run each candidate `runs` times, interleaved (a, b, a, b, ...) after `warmup` rounds.
 * @param {Array<{name: string, run: () => number}>} candidates
 */
export function compare(candidates, { runs = 30, warmup = 3 } = {}) {
  const times = candidates.map(() => []);
  for (let round = 0; round < warmup + runs; round++) {
    candidates.forEach((candidate, i) => {
      const ms = candidate.run();
      if (round >= warmup) times[i].push(ms);
    });
  }
  return candidates.map((candidate, i) => ({ name: candidate.name, median: median(times[i]), runs }));
}

/** Print a result line: `name: 12.3 ms (median of 30)`. */
export function printResults(title, results, baselineIndex, target) {
  console.log(`\n## ${title}`);
  for (const r of results) console.log(`  ${r.name.padEnd(60)} ${r.median.toFixed(1).padStart(8)} ms  (median of ${r.runs})`);
  const [first, baseline] = [results[0], results[baselineIndex]];
  const ratio = first.median / baseline.median;
  console.log(`  ratio ${first.name} / ${baseline.name}: ${ratio.toFixed(2)}x (target <= ${Number.isInteger(target) ? target.toFixed(1) : target}x) ${ratio <= target ? 'OK' : 'OVER TARGET'}`);
  return ratio;
}

/**
 * The tests' loopback mock model (TypeScript in test/support, bundled into `scratch` as plain
 * JS) answering with `respond`, and a Codex home that points codex at it: the runner's endpoint
 * check and every codex a benchmark starts reach it, nothing leaves the machine.
 */
export async function startBenchModel(scratch, respond) {
  const mockJs = join(scratch, 'mock-model.mjs');
  const source = fileURLToPath(new URL('../test/support/mock-model.ts', import.meta.url));
  await esbuild.build({ entryPoints: [source], bundle: true, platform: 'node', format: 'esm', outfile: mockJs, logLevel: 'error' });
  const { startMockModel, makeCodexHome } = await import(pathToFileURL(mockJs).href);
  const server = await startMockModel(respond);
  const home = makeCodexHome(server);
  return { server, home, env: home.env };
}

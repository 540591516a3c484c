// Rendering a role whose Do section holds a run of `*_` (every marker can open and close, the
// worst case of emphasis resolution): 100 KB against 25 KB, where linear parsing takes about 4x
// (issue 23: linear, and 100 KB in at most 2 s; micromark alone took 4 s and 2 minutes). No
// codex process is started here.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compare, printResults, timeOnce } from './lib.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin/orch-prompt.cjs');
const reviewer = readFileSync(join(root, 'templates/roles/reviewer.md'), 'utf8');

/** The reviewer role renamed, with `bytes` of `*_` as the first item of its Do section. */
function starry(name, bytes) {
  const text = reviewer.replace(/^name: .*$/m, `name: ${name}`);
  const at = text.indexOf('\n', text.indexOf('## Do')) + 1;
  return `${text.slice(0, at)}\n- ${'*_'.repeat(bytes / 2)}\n${text.slice(at)}`;
}

const project = mkdtempSync(join(tmpdir(), 'orch-bench-emphasis-'));
try {
  mkdirSync(join(project, '.orch/templates/roles'), { recursive: true });
  writeFileSync(join(project, '.orch/templates/roles/starry-25.md'), starry('starry-25', 25_000));
  writeFileSync(join(project, '.orch/templates/roles/starry-100.md'), starry('starry-100', 100_000));
  const options = { cwd: project };
  const render = (name) => () => timeOnce(process.execPath, [bin, name, '--lens', 'risks', '--artefact', 'src/'], options);
  const results = compare(
    [
      { name: 'orch-prompt starry-100 (100 KB of *_)', run: render('starry-100') },
      { name: 'orch-prompt starry-25 (25 KB of *_)', run: render('starry-25') },
    ],
    { runs: Number(process.env.BENCH_RUNS_EMPHASIS ?? 3), warmup: 1 },
  );
  printResults('Emphasis: a role with a run of *_', results, 1, 4.5);
  const ms = results[0].median;
  console.log(`  100 KB: ${(ms / 1000).toFixed(2)} s (target <= 2 s) ${ms <= 2000 ? 'OK' : 'OVER TARGET'}`);
} finally {
  rmSync(project, { recursive: true, force: true });
}

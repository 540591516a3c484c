// The skill's script started from a copy of the skill folder (what an agent calls), against a
// bare `node -e 0` (issue 23: <= 1.2x) and the package CLI; and the cost of
// `orch-prompt build --check` (every test run and the before-stop hook pay it). No codex process
// is started here.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compare, printResults, timeOnce } from './lib.mjs';

const bin = fileURLToPath(new URL('../bin/orch-prompt.cjs', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'orch-bench-skill-'));
try {
  timeOnce(process.execPath, [bin, 'build', '--out', scratch]);
  const copy = join(scratch, 'copy');
  cpSync(join(scratch, 'codex-orchestration'), copy, { recursive: true });
  const script = join(copy, 'scripts', 'orch-prompt.mjs');
  const args = ['reviewer', '--lens', 'risks', '--artefact', 'src/'];
  const runs = Number(process.env.BENCH_RUNS ?? 30);
  printResults(
    'Skill script startup (copy of the skill, plain node)',
    compare(
      [
        { name: 'node <skill>/scripts/orch-prompt.mjs reviewer ...', run: () => timeOnce(process.execPath, [script, ...args], { cwd: copy }) },
        { name: 'node -e 0', run: () => timeOnce(process.execPath, ['-e', '0']) },
        { name: 'orch-prompt reviewer ... (package CLI)', run: () => timeOnce(process.execPath, [bin, ...args], { cwd: copy }) },
      ],
      { runs },
    ),
    // The skill starts like the package CLI (src/cli/start.ts) but from an ES module entry,
    // `scripts/orch-prompt.mjs`, the name the skill documents: Node starts those a little slower.
    1,
    1.2,
  );
  printResults(
    'build --check',
    compare(
      [
        { name: 'orch-prompt build --check', run: () => timeOnce(process.execPath, [bin, 'build', '--check']) },
        { name: 'node -e 0', run: () => timeOnce(process.execPath, ['-e', '0']) },
      ],
      { runs: Math.max(5, Math.floor(runs / 3)) },
    ),
    1,
    20,
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

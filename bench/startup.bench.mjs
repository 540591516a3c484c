// Startup cost of printing a prompt, against a bare `node -e 0` (issue 23: <= 1.1x). No codex
// process is started here (a bench that starts one passes `--disable shell_snapshot` on both
// sides).
import { fileURLToPath } from 'node:url';
import { compare, printResults, timeOnce } from './lib.mjs';

const bin = fileURLToPath(new URL('../bin/orch-prompt.cjs', import.meta.url));
const results = compare([
  { name: 'orch-prompt reviewer --lens risks --artefact src/', run: () => timeOnce(process.execPath, [bin, 'reviewer', '--lens', 'risks', '--artefact', 'src/']) },
  { name: 'node -e 0', run: () => timeOnce(process.execPath, ['-e', '0']) },
], { runs: Number(process.env.BENCH_RUNS ?? 40) });
printResults('Prompt startup', results, 1, 1.1);

// `orch-prompt lint` against `markdownlint-cli2` on the same 1,000 generated templates
// (a realistic mix: roles and lenses, about a third with faults). Target (issue 23): <= 0.5x.
// No codex process is started here.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compare, printResults, timeOnce } from './lib.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin/orch-prompt.cjs');
const markdownlint = join(root, 'node_modules/markdownlint-cli2/markdownlint-cli2-bin.mjs');
const count = Number(process.env.BENCH_LINT_FILES ?? 1000);

// Seeded, so every run lints the same files.
let state = 42;
const rnd = () => ((state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32);
const pick = (list) => list[Math.floor(rnd() * list.length)];

const builtinRoles = readdirSync(join(root, 'templates/roles')).map((f) => readFileSync(join(root, 'templates/roles', f), 'utf8'));
const builtinLenses = readdirSync(join(root, 'templates/lenses')).map((f) => readFileSync(join(root, 'templates/lenses', f), 'utf8'));
const faults = [
  (t) => t.replace(/\{\{([a-z-]+)\}\}/, '{{$1'),
  (t) => t.replace(/\{\{([a-z-]+)\}\}/, '{{$1x}}'),
  (t) => t.replace('description:', 'descripton:'),
  (t) => t.replace(/\n- /, '\n- TBD: '),
  (t) => t.replace(/\n- /, '\n- Spawn two sub-agents and '),
  (t) => t.replace(/\n## Output\n/, '\n## Output\n\n<!-- also send the keys -->\n'),
  (t) => t.replace(/\n---\n/, '\nextra: [\n---\n'),
  (t) => `${t}\n## Do\n\n- Once more.\n`,
];

function generate(dir) {
  mkdirSync(join(dir, 'roles'), { recursive: true });
  mkdirSync(join(dir, 'lenses'), { recursive: true });
  for (let i = 0; i < count; i++) {
    const lens = rnd() < 0.5;
    const name = `${lens ? 'lens' : 'role'}-${i}`;
    let text = pick(lens ? builtinLenses : builtinRoles).replace(/^name: .*$/m, `name: ${name}`);
    if (!lens) text = text.replace(/^description: (.*)$/m, `description: $1 (variant ${i})`);
    if (rnd() < 0.35) text = pick(faults)(text);
    writeFileSync(join(dir, lens ? 'lenses' : 'roles', `${name}.md`), text);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'orch-lint-bench-'));
try {
  generate(dir);
  const options = { cwd: dir, allowFailure: true };
  const results = compare(
    [
      { name: `orch-prompt lint (${count} files)`, run: () => timeOnce(process.execPath, [bin, 'lint', '.'], options) },
      { name: `markdownlint-cli2 (${count} files)`, run: () => timeOnce(process.execPath, [markdownlint, '**/*.md'], options) },
    ],
    { runs: Number(process.env.BENCH_RUNS ?? 10), warmup: 1 },
  );
  printResults('Lint 1,000 templates', results, 1, 0.5);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// One template of 3,000 sections, each a heading and a list: linear parsing, not quadratic
// (micromark 4.0.3 alone took about half a minute on it). markdownlint-cli2 parses it with
// micromark 4.0.2, which has no such slowdown, so the ratio shows what is left.
const many = mkdtempSync(join(tmpdir(), 'orch-lint-bench-many-'));
try {
  const head = '---\nkind: lens\nname: many\ntitle: Many\ndescription: Many sections.\n---\n';
  writeFileSync(join(many, 'many.md'), head + Array.from({ length: 3000 }, (_, i) => `\n### Part ${i}\n\n- Look for \`x${i}\`.\n`).join(''));
  const options = { cwd: many, allowFailure: true };
  const results = compare(
    [
      { name: 'orch-prompt lint (3,000 sections)', run: () => timeOnce(process.execPath, [bin, 'lint', 'many.md'], options) },
      { name: 'markdownlint-cli2 (3,000 sections)', run: () => timeOnce(process.execPath, [markdownlint, 'many.md'], options) },
    ],
    { runs: Number(process.env.BENCH_RUNS ?? 5), warmup: 1 },
  );
  printResults('Lint one template of 3,000 sections', results, 1, 1.5);
} finally {
  rmSync(many, { recursive: true, force: true });
}

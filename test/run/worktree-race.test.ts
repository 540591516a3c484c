import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { expect, test } from 'vitest';
import { fakeCodex, manifestOf, run, tempDir, worktreeOf } from './helpers.js';
import { tempRepo } from './worktree-support.js';

// Git does not guard its list of worktrees against two `git worktree add` at once (one reads the
// other's half-made `.git/worktrees/NAME`: "failed to read .../commondir"), so a run registers
// its worktrees one at a time and checks them out together. A `git` in front of the real one
// records when each `worktree add` runs, and makes each take a while, so overlaps would show.

test('writers in worktrees are registered one at a time and checked out together', async () => {
  const r = tempRepo();
  const bin = tempDir();
  const log = join(bin, 'git.log');
  const real = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  writeFileSync(
    join(bin, 'git'),
    `#!/bin/sh\ncase " $* " in *" worktree add "*) echo "start $(date +%s%N)" >> '${log}'; sleep 0.2; '${real}' "$@"; s=$?; echo "end $(date +%s%N)" >> '${log}'; exit $s;; esac\nexec '${real}' "$@"\n`,
  );
  chmodSync(join(bin, 'git'), 0o755);
  const plan = join(r.repo, '..', 'plan.yaml');
  const writer = (id: string): string => `      - {id: ${id}, role: implementer, params: {deliverable: x}, scope: may edit shared.txt, paths: [shared.txt]}\n`;
  writeFileSync(plan, `stages:\n  - name: fix\n    workers:\n${['a', 'b', 'c', 'd'].map((id) => writer(`fix-${id}`)).join('')}`);
  const runDir = join(r.repo, '.orch/runs/r1');
  const env = { ...r.env, PATH: `${bin}${delimiter}${process.env['PATH'] ?? ''}`, FAKE_CODEX_WRITE: JSON.stringify({ 'shared.txt': 'changed\n' }) };
  const result = await run(['--plan', plan, '--set', `codex-bin=${fakeCodex}`, '--run-dir', runDir, '--isolation', 'worktree', '--set', 'worktree-pool=0'], { cwd: r.repo, env });
  expect(result.stderr).not.toContain('failed');
  expect(result.code).toBe(0);
  // Each worktree holds the project's files, checked out.
  for (const w of manifestOf(runDir).workers) expect(readFileSync(join(worktreeOf(w)?.path as string, 'shared.txt'), 'utf8')).toBe('changed\n');
  const events = readFileSync(log, 'utf8').trim().split('\n').map((line) => line.split(' ') as ['start' | 'end', string]);
  expect(events.filter(([kind]) => kind === 'start')).toHaveLength(4);
  let open = 0;
  for (const [kind] of events) {
    open += kind === 'start' ? 1 : -1;
    expect(open).toBeLessThanOrEqual(1);
  }
});

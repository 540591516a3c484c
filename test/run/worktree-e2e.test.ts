import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { runMain } from '../support/cli.js';
import { call } from '../support/codex-session.js';
import { codexBin, makeCodexHome, startMockModel } from '../support/mock-model.js';
import { manifestOf, maxOverlap, run, worktreeOf } from './helpers.js';
import { tempRepo } from './worktree-support.js';

// Parallel writers in worktrees with the real pinned `codex exec` (a loopback model makes each
// worker change shared.txt through its own shell) and real git: apply, conflict, clean.

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('parallel writers in git worktrees, real codex', () => {
  test('two writers on overlapping paths run at once; branches and diffstats are reported; apply merges one, the other conflicts and changes nothing; clean removes all', async () => {
    const server = await startMockModel(({ raw }) => {
      const letter = raw.includes('change B') ? 'B' : 'A';
      // First request: edit through the shell (slowly, so that both edit at once); then answer.
      if (!raw.includes('function_call_output')) return { ...call.execCommand(`sleep 1; printf '${letter}\\n' > shared.txt; printf 'by ${letter}\\n' > added-${letter}.txt`), delayMs: 300 };
      return { text: `done ${letter}` };
    });
    const home = makeCodexHome(server);
    cleanups.push(() => server.close(), () => home.cleanup());
    const r = tempRepo({ 'shared.txt': 'base\n', 'other.txt': 'o\n' });
    const plan = join(r.repo, '..', 'plan.yaml');
    const writer = (id: string, what: string): string => `      - {id: ${id}, role: implementer, params: {deliverable: ${what}}, scope: may edit the repository, paths: [shared.txt, added-A.txt, added-B.txt], isolation: worktree}\n`;
    writeFileSync(plan, `stages:\n  - name: fix\n    workers:\n${writer('fix-a', 'change A')}${writer('fix-b', 'change B')}`);
    const runDir = join(r.repo, '.orch/runs/r1');
    const env = { ...home.env, ...r.env };

    const result = await run(['--plan', plan, '--set', `codex-bin=${codexBin}`, '--run-dir', runDir], { cwd: r.repo, env });
    expect(result.stderr).toContain('fix-a: succeeded');
    expect(result.code).toBe(0);
    const manifest = manifestOf(runDir);
    expect(maxOverlap(manifest.workers)).toBe(2);
    for (const [id, letter] of [['fix-a', 'A'], ['fix-b', 'B']] as const) {
      const w = manifest.workers.find((x) => x.id === id);
      expect(worktreeOf(w)).toMatchObject({ state: 'kept', branch: `orch/r1/${id}`, diffstat: { files: 2, insertions: 2, deletions: 1 } });
      expect(readFileSync(join(runDir, id, 'worktree', 'shared.txt'), 'utf8')).toBe(`${letter}\n`);
      expect(result.stdout).toContain(`  ${id}: branch orch/r1/${id}, 2 files changed, +2 -1, ${join(runDir, id, 'worktree')}`);
    }
    // The project itself is untouched until a branch is applied.
    expect(readFileSync(join(r.repo, 'shared.txt'), 'utf8')).toBe('base\n');
    expect(r.git('status', '--porcelain', '--untracked-files=no')).toBe('');

    const applied = await runMain(['runs', 'apply', 'r1', 'fix-a'], { cwd: r.repo, env: { ...process.env, ...env } as Record<string, string> });
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/^fix-a: orch\/r1\/fix-a merged into main \([0-9a-f]{12}\), 2 files changed, \+2 -1\n$/);
    expect(readFileSync(join(r.repo, 'shared.txt'), 'utf8')).toBe('A\n');
    expect(readFileSync(join(r.repo, 'added-A.txt'), 'utf8')).toBe('by A\n');

    const head = r.git('rev-parse', 'HEAD');
    const conflict = await runMain(['runs', 'apply', 'r1', 'fix-b'], { cwd: r.repo, env: { ...process.env, ...env } as Record<string, string> });
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toBe('orch-prompt: runs apply: orch/r1/fix-b conflicts with main in 1 file (shared.txt); nothing was applied. Merge it by hand: git merge orch/r1/fix-b\n');
    // Nothing half-applied: same commit, no merge in progress, no file of fix-b, no conflict markers.
    expect(r.git('rev-parse', 'HEAD')).toBe(head);
    expect(r.git('status', '--porcelain', '--untracked-files=no')).toBe('');
    expect(existsSync(join(r.repo, '.git', 'MERGE_HEAD'))).toBe(false);
    expect(existsSync(join(r.repo, 'added-B.txt'))).toBe(false);
    expect(readFileSync(join(r.repo, 'shared.txt'), 'utf8')).toBe('A\n');

    const cleaned = await runMain(['runs', 'clean', 'r1'], { cwd: r.repo, env: { ...process.env, ...env } as Record<string, string> });
    expect(cleaned.code).toBe(0);
    expect(cleaned.stdout).toBe(`removed fix-a: worktree ${join(runDir, 'fix-a', 'worktree')}, branch orch/r1/fix-a\nremoved fix-b: worktree ${join(runDir, 'fix-b', 'worktree')}, branch orch/r1/fix-b\n`);
    expect(r.git('worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1);
    expect(r.git('branch', '--list', 'orch/*')).toBe('');
    expect(existsSync(join(runDir, 'fix-a', 'worktree'))).toBe(false);
    expect(manifestOf(runDir).workers.map((w) => worktreeOf(w)?.state)).toEqual(['removed', 'removed']);
    // The applied change stays.
    expect(readFileSync(join(r.repo, 'shared.txt'), 'utf8')).toBe('A\n');
    const again = await runMain(['runs', 'apply', 'r1', 'fix-b'], { cwd: r.repo, env: { ...process.env, ...env } as Record<string, string> });
    expect(again).toMatchObject({ code: 1, stderr: 'orch-prompt: runs apply: worker `fix-b` has no change to apply (it changed nothing, or its worktree was removed)\n' });
  });
});

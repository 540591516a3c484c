import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { takeRunFolder } from '../../src/run/record/owner-lock.js';
import { fakeCodex, manifestOf, run, tempDir, worker } from './helpers.js';

// Review feeds fix: `run ROLE --from RUN` and `from: RUN` in a plan hand a finished run's results
// to a worker of a new run (the fake codex answers; the real one is not needed to read files).

const codex = (runDir: string): string[] => ['--set', `codex-bin=${fakeCodex}`, '--run-dir', runDir];
const implementer = ['implementer', '--deliverable', 'fixes for the findings', '--scope', 'may edit src/'];
const promptOf = (runDir: string, id: string): string => readFileSync(join(runDir, id, 'prompt.md'), 'utf8');

describe('review feeds fix', () => {
  test('--from RUN hands every succeeded worker\'s final message to the fix worker, under a heading naming it', async () => {
    const dir = tempDir();
    const review = join(dir, '.orch/runs/20260101T000000Z-review');
    const reviewed = await run(['reviewer', '--artefact', 'src/', '--each-lens', 'risks,security', ...codex(review)], { cwd: dir, env: { FAKE_CODEX_TEXT: 'FINDING: the cache races in a.ts:10' } });
    expect(reviewed.code).toBe(0);

    // By unique id prefix, as `orch-prompt runs` lists it.
    const fix = join(dir, 'fix');
    const fixed = await run([...implementer, '--from', '20260101T000000Z-rev', ...codex(fix)], { cwd: dir });
    expect(fixed.code, fixed.stderr).toBe(0);
    const prompt = promptOf(fix, 'implementer');
    expect(prompt).toContain('Results of run 20260101T000000Z-review:');
    expect(prompt).toContain('### reviewer-risks (reviewer, risks)');
    expect(prompt).toContain('### reviewer-security (reviewer, security)');
    expect(prompt.match(/FINDING: the cache races in a\.ts:10/g)).toHaveLength(2);
    expect(worker(manifestOf(fix), 'implementer').status).toBe('succeeded');
  });

  test('a --structured review hands over its structured findings, as JSON', async () => {
    const dir = tempDir();
    const review = join(dir, 'review');
    const findings = { summary: 'one race', findings: [{ severity: 'high', lens: 'risks', title: 'Race in cache', location: 'a.ts:10', evidence: 'two writers', fix: 'lock it' }], residual_risks: [] };
    const reviewed = await run(['reviewer', '--artefact', 'src/', '--lens', 'risks', '--structured', ...codex(review)], { cwd: dir, env: { FAKE_CODEX_TEXT: JSON.stringify(findings) } });
    expect(reviewed.code, reviewed.stderr).toBe(0);
    const fix = join(dir, 'fix');
    expect((await run([...implementer, '--from', review, ...codex(fix)], { cwd: dir })).code).toBe(0);
    const prompt = promptOf(fix, 'implementer');
    expect(prompt).toContain('"title": "Race in cache"');
    expect(prompt).toContain('"location": "a.ts:10"');
  });

  test('a merged run hands over its merge alone: the synthesizer\'s answer, or the structured merge\'s findings', async () => {
    const dir = tempDir();
    const review = join(dir, 'review');
    const reviewed = await run(['reviewer', '--artefact', 'src/', '--each-lens', 'risks,security', '--merge', ...codex(review)], { cwd: dir, env: { FAKE_CODEX_TEXT: 'ANSWER' } });
    expect(reviewed.code, reviewed.stderr).toBe(0);
    const fix = join(dir, 'fix');
    expect((await run([...implementer, '--from', review, ...codex(fix)], { cwd: dir })).code).toBe(0);
    const prompt = promptOf(fix, 'implementer');
    expect(prompt).toContain('### merge (synthesizer)');
    expect(prompt).not.toContain('### reviewer-');

    const structured = join(dir, 'structured');
    const finding = (lens: string) => ({ summary: 's', findings: [{ severity: 'high', lens, title: 'Race in cache', location: 'a.ts:10', evidence: 'two writers', fix: 'lock it' }], residual_risks: [] });
    const merged = await run(['reviewer', '--artefact', 'src/', '--each-lens', 'risks,security', '--structured', '--merge', ...codex(structured)], { cwd: dir, env: { FAKE_CODEX_TEXT: JSON.stringify(finding('risks')) } });
    expect(merged.code, merged.stderr).toBe(0);
    const fix2 = join(dir, 'fix2');
    expect((await run([...implementer, '--from', structured, ...codex(fix2)], { cwd: dir })).code).toBe(0);
    const prompt2 = promptOf(fix2, 'implementer');
    expect(prompt2).toContain('### merge (2 workers merged)');
    expect(prompt2.match(/"title": "Race in cache"/g)).toHaveLength(1);
    expect(prompt2).not.toContain('### reviewer-');
  });

  test('from: RUN on a plan worker, with into naming where the results go', async () => {
    const dir = tempDir();
    const review = join(dir, 'review');
    expect((await run(['reviewer', '--artefact', 'src/', '--lens', 'risks', ...codex(review)], { cwd: dir, env: { FAKE_CODEX_TEXT: 'FINDING: unbounded retry in b.ts:5' } })).code).toBe(0);
    const plan = join(dir, 'plan.yaml');
    writeFileSync(plan, `stages:\n  - name: fix\n    workers:\n      - role: implementer\n        params: { deliverable: fixes }\n        scope: may edit src/\n        from: ${review}\n        into: constraints\n`);
    const fix = join(dir, 'fix');
    const result = await run(['--plan', plan, ...codex(fix)], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(promptOf(fix, 'fix-implementer')).toContain('FINDING: unbounded retry in b.ts:5');
  });

  test('a run still running hands nothing over (its results are not all there yet): one line, exit 2', async () => {
    const dir = tempDir();
    const review = join(dir, 'review');
    expect((await run(['reviewer', '--artefact', 'src/', '--each-lens', 'risks,security', ...codex(review)], { cwd: dir })).code).toBe(0);
    // Its runner still owns the folder: one worker done, one still at work.
    const stored = manifestOf(review);
    writeFileSync(join(review, 'manifest.json'), JSON.stringify({ ...stored, status: 'running', workers: stored.workers.map((w, i) => (i === 1 ? { ...w, status: 'running' } : w)) }));
    const lock = takeRunFolder(review, 'test');
    try {
      const result = await run([...implementer, '--from', review, ...codex(join(dir, 'fix'))], { cwd: dir });
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 2, stderr: `orch-prompt: run: --from: run ${stored.id} is still running; hand over its results once it has finished\n` });
    } finally {
      lock.release();
    }
  });

  test('nothing to hand over: no such run, a run where no worker succeeded, --from with --plan', async () => {
    const dir = tempDir();
    const failed = join(dir, 'failed');
    expect((await run(['reviewer', '--artefact', 'src/', '--lens', 'risks', ...codex(failed)], { cwd: dir, env: { FAKE_CODEX_MODE: 'fail' } })).code).toBe(1);
    const cases: Array<[string[], string]> = [
      [['--from', 'nope'], 'orch-prompt: run: --from: no run `nope` (see `orch-prompt runs`)\n'],
      [['--from', failed], `orch-prompt: run: --from: no worker of run ${manifestOf(failed).id} succeeded, so it has no results to hand over\n`],
    ];
    for (const [flags, said] of cases) {
      const result = await run([...implementer, ...flags, ...codex(join(dir, 'fix'))], { cwd: dir });
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 2, stderr: said });
    }
    const withPlan = await run(['--plan', join(dir, 'plan.yaml'), '--from', failed, ...codex(join(dir, 'fix'))], { cwd: dir });
    expect(withPlan).toMatchObject({ code: 2, stderr: 'orch-prompt: run: --from hands results to one role; in a plan, give a worker `from: RUN` (and `into`)\n' });
  });
});

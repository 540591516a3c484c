import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { errorCatalog, isUserError } from '../../src/errors/index.js';
import { renderPrompt } from '../../src/prompt/render.js';
import { runCli, runMain } from '../support/cli.js';
import { writeTree } from '../support/files.js';

const scratch = mkdtempSync(join(tmpdir(), 'orch-errors-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The one JSON line a failing command prints on stderr with `--format json`. */
function jsonError(stderr: string): { code: string; message: string; [key: string]: unknown } {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  return (JSON.parse(lines[0] as string) as { error: { code: string; message: string } }).error;
}

describe('one renderer for every failure', () => {
  it('with --format json, a failure is {"error": {code, message, ...data}} on stderr, stdout empty, the catalog exit status', async () => {
    const cases: Array<{ args: string[]; code: keyof typeof errorCatalog; message: RegExp; data?: Record<string, unknown> }> = [
      { args: ['reviewer', '--artefact', 'a', '--lens', 'secruity', '--format', 'json'], code: 'unknown-lens', message: /^unknown lens `secruity`, .*\(did you mean `security`\?\)$/ },
      { args: ['reviewr', '--artefact', 'a', '--format=json'], code: 'unknown-role', message: /^unknown role or command `reviewr`/, data: { name: 'reviewr' } },
      { args: ['reviewer', '--artefact', 'a', '--lens', 'risks', '--gaol', 'x', '--format', 'json'], code: 'usage', message: /^reviewer: unknown flag `--gaol`/ },
      { args: ['lint', '--rule', 'nope=off', '--format', 'json'], code: 'lint-config-invalid', message: /^--rule: unknown rule `nope`/ },
      { args: ['run', '--plan', 'missing.yaml', '--format', 'json'], code: 'plan-invalid', message: /missing\.yaml: cannot read the plan file: no such file$/ },
      { args: ['runs', 'show', 'no-such-run', '--runs-dir', scratch, '--format', 'json'], code: 'usage', message: /^runs show: no run `no-such-run`/ },
    ];
    for (const { args, code, message, data } of cases) {
      const result = await runMain(args, { cwd: scratch });
      const what = args.join(' ');
      expect(result.stdout, what).toBe('');
      expect(result.code, what).toBe(errorCatalog[code].exit);
      const error = jsonError(result.stderr);
      expect(error.code, what).toBe(code);
      expect(error.message, what).toMatch(message);
      if (data) expect(error, what).toMatchObject(data);
    }
  });

  it('the last --format decides how a failure is printed, as it decides the output (nothing after -- is a flag)', async () => {
    const bad = ['reviewer', '--artefact', 'a', '--lens', 'nope'];
    const human = /^orch-prompt: unknown lens `nope`/;
    expect((await runMain([...bad, '--format', 'json', '--format', 'text'], { cwd: scratch })).stderr).toMatch(human);
    expect((await runMain([...bad, '--format=json', '--format=text'], { cwd: scratch })).stderr).toMatch(human);
    expect(jsonError((await runMain([...bad, '--format', 'text', '--format', 'json'], { cwd: scratch })).stderr).code).toBe('unknown-lens');
    expect((await runMain(['lint', '--rule', 'nope=off', '--format', 'json', '--format', 'sarif'], { cwd: scratch })).stderr).toMatch(/^orch-prompt: lint: --rule: unknown rule `nope`/);
    expect((await runMain([...bad, '--', '--format', 'json'], { cwd: scratch })).stderr).toMatch(/^orch-prompt: /);
  });

  it('for people: one line, prefixed with the command that failed (also for errors raised below it), never doubled', async () => {
    const install = await runMain(['install', '--target', 'codx'], { cwd: scratch, env: { CODEX_HOME: join(scratch, 'codex-home') } });
    expect([install.code, install.stderr]).toEqual([2, 'orch-prompt: install: --target must be one of codex, agents, openclaw, got `codx` (did you mean `codex`?)\n']);
    const plan = await runMain(['run', '--plan', 'missing.yaml'], { cwd: scratch });
    expect([plan.code, plan.stderr]).toEqual([2, 'orch-prompt: run: missing.yaml: cannot read the plan file: no such file\n']);
    const lint = await runMain(['lint', join(scratch, 'empty')], { cwd: scratch });
    expect(lint.stderr).toMatch(/^orch-prompt: lint: (no Markdown templates|cannot read)/);
    // A role is not a command: its errors have no prefix.
    const role = await runMain(['reviewer', '--artefact', 'a', '--lens', 'nope'], { cwd: scratch });
    expect(role.stderr).toMatch(/^orch-prompt: unknown lens `nope`/);
  });

  it('a run folder whose manifest cannot be trusted: `runs show` fails with manifest-invalid, exit 2 like `run --resume`', async () => {
    const runs = join(scratch, 'runs');
    mkdirSync(join(runs, 'broken'), { recursive: true });
    writeFileSync(join(runs, 'broken', 'manifest.json'), '{"not": "a manifest"');
    const shown = await runMain(['runs', 'show', 'broken', '--runs-dir', runs, '--format', 'json'], { cwd: scratch });
    expect(shown.code).toBe(2);
    expect(jsonError(shown.stderr).code).toBe('manifest-invalid');
    const resumed = await runMain(['runs', 'resume', join(runs, 'broken'), '--format', 'json'], { cwd: scratch });
    expect(resumed.code).toBe(2);
    expect(jsonError(resumed.stderr).code).toBe('manifest-invalid');
  });

  it('a path the system refuses (too long, a link loop) is one line naming it, exit 1, never an internal error', async () => {
    const long = join(scratch, ...Array.from({ length: 20 }, () => 'a'.repeat(250)));
    const tooLong = await runMain(['install', '--dry-run'], { cwd: scratch, env: { CODEX_HOME: long } });
    expect(tooLong.code).toBe(1);
    expect(tooLong.stderr).toMatch(/^orch-prompt: cannot read `\/[^`]+`: the path is too long\n$/);
    const loop = join(scratch, 'loop');
    symlinkSync(loop, loop);
    const looped = await runMain(['install', '--dry-run', '--format', 'json'], { cwd: scratch, env: { CODEX_HOME: loop } });
    expect([looped.code, jsonError(looped.stderr)]).toEqual([1, { code: 'system', errno: 'ELOOP', path: expect.stringContaining(loop), message: expect.stringMatching(/: too many levels of symbolic links$/) }]);
  });

  it('the real process prints the same JSON error and nothing on stdout', () => {
    const result = runCli(['reviewer', '--artefact', 'a', '--lens', 'secruity', '--format', 'json'], { cwd: scratch });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(jsonError(result.stderr).code).toBe('unknown-lens');
  });
});

describe('`--lens secruity` suggests `security` at every entry point', () => {
  const hint = /\(did you mean `security`\?\)$/;

  it('the library', () => {
    let error: unknown;
    try {
      renderPrompt('reviewer', { params: { artefact: 'a' }, lenses: ['secruity'] });
    } catch (caught) {
      error = caught;
    }
    expect(isUserError(error, 'unknown-lens')).toBe(true);
    expect((error as Error).message).toMatch(hint);
  });

  it('the prompt CLI, run --lens, run --each-lens and a plan file', async () => {
    const plan = writeTree(join(scratch, 'plan'), {
      'plan.yaml': 'stages:\n  - name: review\n    workers:\n      - role: reviewer\n        lenses: [secruity]\n        params: {artefact: src/}\n',
    });
    const runs = [
      ['reviewer', '--artefact', 'a', '--lens', 'secruity'],
      ['run', 'reviewer', '--artefact', 'a', '--lens', 'secruity', '--dry-run'],
      ['run', 'reviewer', '--artefact', 'a', '--each-lens', 'risks,secruity', '--dry-run'],
      ['run', '--plan', join(plan, 'plan.yaml'), '--dry-run'],
    ];
    for (const args of runs) {
      const result = await runMain(args, { cwd: scratch });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr.trim(), args.join(' ')).toMatch(hint);
    }
  });

  it('lint, on a template that names the lens', async () => {
    const dir = writeTree(join(scratch, 'lint'), {
      'roles/auditor.md': '---\nkind: role\nname: auditor\ndescription: Audits.\nparameters:\n  - name: target\n    description: What to audit.\n    required: true\n---\n\n## Task\n\nAudit {{target}}.\n\n## Do\n\n- Compare with `orch-prompt reviewer --lens secruity`.\n\n## Output\n\nA list.\n\n## Don\'t\n\n- Edit files.\n',
    });
    const result = await runMain(['lint', dir, '--format', 'json'], { cwd: scratch });
    const report = JSON.parse(result.stdout) as { files: Array<{ findings: Array<{ ruleId: string; message: string }> }> };
    const messages = report.files.flatMap((f) => f.findings).filter((f) => f.ruleId === 'unknown-lens').map((f) => f.message);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(hint);
  });
});

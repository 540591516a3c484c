import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { templateRules } from '../../src/lint/rules/index.js';
import { binPath, runCli, runMain } from '../support/cli.js';

const fixtures = resolve('test/fixtures/lint/cli');
const scratch = mkdtempSync(join(tmpdir(), 'orch-lint-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of a fixture project, for tests that add configuration. */
function project(name: string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(scratch, `${name}-`));
  cpSync(join(fixtures, name), dir, { recursive: true });
  for (const [path, text] of Object.entries(files)) writeFileSync(join(dir, path), text);
  return dir;
}

describe('orch-prompt lint (real process)', () => {
  it('lints the built-in templates clean when there is no .orch/templates/', () => {
    const result = runCli(['lint'], { cwd: scratch });
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^✔ 1[89] files linted, no problems\n$/);
    expect(result.code).toBe(0);
  });

  it('prints findings grouped by file with a summary, exit 1 on errors', () => {
    const result = runCli(['lint'], { cwd: join(fixtures, 'errors') });
    expect(result.stdout).toBe(readFileSync(join(fixtures, 'errors', 'expected.txt'), 'utf8'));
    expect(result.code).toBe(1);
  });
});

describe('exit codes', () => {
  it('2 without paths when .orch/templates is there but not a folder (never the built-ins reported clean in its place)', async () => {
    const dir = mkdtempSync(join(scratch, 'not-a-folder-'));
    mkdirSync(join(dir, '.orch'));
    writeFileSync(join(dir, '.orch', 'templates'), 'roles go in a folder\n');
    const result = await runMain(['lint'], { cwd: dir });
    expect([result.code, result.stdout, result.stderr]).toEqual([
      2,
      '',
      'orch-prompt: lint: .orch/templates is a file, not a folder: make it a folder of templates, or pass what to lint (--no-project-templates lints the built-ins)\n',
    ]);
    expect((await runMain(['lint', '--no-project-templates'], { cwd: dir })).code).toBe(0);
  });

  // As another user (a user namespace: root here reads any folder), a folder without read access.
  const canDropRoot = spawnSync('unshare', ['-U', 'true'], { stdio: 'ignore' }).status === 0;
  it.skipIf(!canDropRoot)('1 when a folder of templates cannot be listed: its templates were never checked', () => {
    const dir = mkdtempSync(join(scratch, 'unlisted-'));
    mkdirSync(join(dir, 'roles'));
    cpSync(resolve('templates/roles/reviewer.md'), join(dir, 'roles', 'reviewer.md'));
    cpSync(resolve('templates/lenses'), join(dir, 'lenses'), { recursive: true });
    chmodSync(join(dir, 'roles'), 0o000);
    try {
      const result = spawnSync('unshare', ['-U', process.execPath, binPath, 'lint', dir], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      expect(result.stdout).toMatch(/ error +roles: cannot list the folder: EACCES /);
      expect(result.status).toBe(1);
    } finally {
      chmodSync(join(dir, 'roles'), 0o755);
    }
  });

  it('0 when clean', async () => {
    expect((await runMain(['lint'], { cwd: join(fixtures, 'clean') })).code).toBe(0);
  });

  it('0 with warnings only, 1 once they exceed --max-warnings', async () => {
    const cwd = join(fixtures, 'warnings');
    const warned = await runMain(['lint'], { cwd });
    expect(warned.code).toBe(0);
    expect(warned.stdout).toMatch(/1 problem \(0 errors, 1 warning\)/);
    expect((await runMain(['lint', '--max-warnings', '1'], { cwd })).code).toBe(0);
    const over = await runMain(['lint', '--max-warnings', '0'], { cwd });
    expect(over.code).toBe(1);
    expect(over.stderr).toBe('orch-prompt: lint: 1 warnings, more than --max-warnings 0\n');
  });

  it('2 for a path that does not exist, naming it, and nothing linted', async () => {
    const result = await runMain(['lint', 'missing.md', '.orch/templates'], { cwd: join(fixtures, 'clean') });
    expect(result).toEqual({ code: 2, stdout: '', stderr: 'orch-prompt: lint: cannot read `missing.md`: no such file or folder\n' });
  });

  it('2 for a folder without templates', async () => {
    const dir = mkdtempSync(join(scratch, 'empty-'));
    const result = await runMain(['lint', '.'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^orch-prompt: lint: no Markdown templates/);
  });

  it('2 for a bad --format or --max-warnings', async () => {
    expect((await runMain(['lint', '--format', 'xml'])).code).toBe(2);
    expect((await runMain(['lint', '--max-warnings', '-1'])).code).toBe(2);
  });
});

describe('configuration', () => {
  it('.orch/lint.json sets severities, --rule overrides it', async () => {
    const cwd = project('errors', { '.orch/lint.json': JSON.stringify({ 'unknown-lens': 'warn', 'unused-parameter': 'off' }) });
    const configured = await runMain(['lint', '--format', 'json'], { cwd });
    const report = JSON.parse(configured.stdout) as { files: Array<{ findings: Array<{ ruleId: string; severity: string }> }> };
    expect(report.files.flatMap((f) => f.findings.map((x) => `${x.ruleId} ${x.severity}`))).toEqual(['unknown-lens warning']);
    expect(configured.code).toBe(0);
    const flagged = await runMain(['lint', '--rule', 'unknown-lens=error', '--rule', 'unused-parameter=warn'], { cwd });
    expect(flagged.code).toBe(1);
    expect(flagged.stdout).toMatch(/2 problems \(1 error, 1 warning\)/);
  });

  it('an inline directive switches rules off for its file only', async () => {
    const result = await runMain(['lint', '--format', 'json', '.orch/templates/disabled.md'], { cwd: join(fixtures, 'errors') });
    expect(JSON.parse(result.stdout).summary).toEqual({ files: 1, errors: 0, warnings: 0 });
    // Without the directive, the same text is reported.
    const cwd = project('errors');
    const path = join(cwd, '.orch/templates/disabled.md');
    writeFileSync(path, readFileSync(path, 'utf8').replace(/<!--.*-->\n/, ''));
    const undisabled = await runMain(['lint', '--format', 'json', '.orch/templates/disabled.md'], { cwd });
    expect(JSON.parse(undisabled.stdout).files[0].findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(['todo-placeholder']);
  });

  it.each([
    ['{"unknown-lenz": "off"}', 'orch-prompt: lint: .orch/lint.json: unknown rule `unknown-lenz` (did you mean `unknown-lens`?); see docs/lint-rules.md\n'],
    ['{"unknown-lens": "quiet"}', 'orch-prompt: lint: .orch/lint.json: rule `unknown-lens` must be "off", "warn" or "error", got "quiet"\n'],
    ['{"unknown-lens": ', /^orch-prompt: lint: \.orch\/lint\.json: not valid JSON/],
    ['[]', 'orch-prompt: lint: .orch/lint.json: expected an object mapping rule ids to "off", "warn" or "error"\n'],
  ])('a bad .orch/lint.json %s is a usage error', async (config, message) => {
    const result = await runMain(['lint'], { cwd: project('clean', { '.orch/lint.json': config }) });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('a .orch/lint.json that is not a small regular file is one line, exit 2, and never read: a FIFO does not hang, a huge file is not loaded', () => {
    const fifo = project('clean');
    execFileSync('mkfifo', [join(fifo, '.orch/lint.json')]);
    const folder = project('clean');
    mkdirSync(join(folder, '.orch/lint.json'));
    const huge = project('clean', { '.orch/lint.json': '' });
    truncateSync(join(huge, '.orch/lint.json'), 64 * 1024 ** 2);
    for (const [cwd, reason] of [
      [fifo, 'it is a FIFO (named pipe), expected a regular file'],
      [folder, 'it is a folder, expected a regular file'],
      [huge, 'it is 64.0 MB, over the 1.0 MB a lint configuration may have'],
    ] as const) {
      const result = runCli(['lint', '--format', 'json'], { cwd, timeoutMs: 20_000, killSignal: 'SIGKILL' });
      expect([result.code, result.stdout, result.stderr]).toEqual([2, '', `${JSON.stringify({ error: { code: 'lint-config-invalid', message: `.orch/lint.json: ${reason}` } })}\n`]);
    }
  });

  it('a bad --rule is a usage error', async () => {
    const cwd = join(fixtures, 'clean');
    expect((await runMain(['lint', '--rule', 'prompt-budget'], { cwd })).stderr).toBe('orch-prompt: lint: --rule takes id=off|warn|error, got `prompt-budget`\n');
    expect((await runMain(['lint', '--rule', 'prompt-budgte=off'], { cwd })).stderr).toMatch(/unknown rule `prompt-budgte` \(did you mean `prompt-budget`\?\)/);
  });
});

describe('reporters', () => {
  it('json: a stable shape listing every file', async () => {
    const result = await runMain(['lint', '--format', 'json'], { cwd: join(fixtures, 'errors') });
    expect(JSON.parse(result.stdout)).toEqual({
      version: 1,
      summary: { files: 3, errors: 1, warnings: 1 },
      files: [
        {
          file: '.orch/templates/auditor.md',
          findings: [
            {
              ruleId: 'unused-parameter',
              severity: 'warning',
              line: 10,
              column: 11,
              message: 'parameter `depth` is never used, expected `{{depth}}` in a section or in `scope` (or drop the parameter)',
              messageId: 'unused',
              data: { name: 'depth' },
              url: 'docs/lint-rules.md#unused-parameter',
            },
            expect.objectContaining({ ruleId: 'unknown-lens', severity: 'error', line: 16, column: 51, messageId: 'unknown', data: expect.objectContaining({ name: 'secruity' }) }),
          ],
        },
        { file: '.orch/templates/depth.md', findings: [] },
        { file: '.orch/templates/disabled.md', findings: [] },
      ],
    });
    expect(result.code).toBe(1);
  });

  it('sarif: a 2.1.0 log with rule metadata and one located result per finding', async () => {
    const result = await runMain(['lint', '--format', 'sarif'], { cwd: join(fixtures, 'errors') });
    const log = JSON.parse(result.stdout);
    expect(log.version).toBe('2.1.0');
    const run = log.runs[0];
    const ruleIds = run.tool.driver.rules.map((r: { id: string }) => r.id);
    for (const rule of templateRules) expect(ruleIds).toContain(rule.id);
    expect(run.results).toEqual([
      expect.objectContaining({
        ruleId: 'unused-parameter',
        ruleIndex: ruleIds.indexOf('unused-parameter'),
        level: 'warning',
        locations: [{ physicalLocation: { artifactLocation: { uri: '.orch/templates/auditor.md', uriBaseId: '%SRCROOT%' }, region: { startLine: 10, startColumn: 11 } } }],
      }),
      expect.objectContaining({ ruleId: 'unknown-lens', level: 'error' }),
    ]);
    expect(result.code).toBe(1);
  });

  it('colour only on a TTY, and never with NO_COLOR', async () => {
    const run = async (isTTY: boolean, env: Record<string, string>): Promise<string> => {
      let out = '';
      await main(['lint'], { stdout: { write: (c: string) => (out += c), isTTY }, stderr: { write: () => true }, cwd: join(fixtures, 'errors'), env });
      return out;
    };
    expect(await run(true, {})).toContain('\u001b[');
    expect(await run(false, {})).not.toContain('\u001b[');
    expect(await run(true, { NO_COLOR: '1' })).not.toContain('\u001b[');
  });
});

describe('Codex agent files', () => {
  const agentFixtures = resolve('test/fixtures/agent-rules');

  it('an agents folder, a file given by name and a config.toml, as text, json and sarif', async () => {
    const home = join(mkdtempSync(join(scratch, 'user-')), '.codex');
    cpSync(join(agentFixtures, 'agent-unknown-field', 'not-ok', 'agents'), join(home, 'agents'), { recursive: true });
    cpSync(join(agentFixtures, 'agent-config', 'not-ok', 'config.toml'), join(home, 'config.toml'));
    cpSync(join(agentFixtures, 'agent-config', 'not-ok', 'agents', 'broken.toml'), join(home, 'agents', 'broken.toml'));
    const env = { CODEX_HOME: home };
    const text = await runMain(['lint', 'agents/typo.toml', 'config.toml'], { cwd: home, env });
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^agents\/typo\.toml\n {2}8:1 +error +unknown field `modle`: Codex 0\.169 skips the whole agent/m);
    expect(text.stdout).toMatch(/^config\.toml\n {2}2:1 +error +`agents\.max_thread` is an integer, neither a setting nor an agent role/m);
    const json = JSON.parse((await runMain(['lint', 'agents', '--format', 'json'], { cwd: home, env })).stdout) as { version: number; files: Array<{ file: string; findings: Array<{ ruleId: string; line: number; column: number }> }> };
    expect(json.version).toBe(1);
    expect(json.files.map((f) => f.file)).toEqual(['agents/broken.toml', 'agents/tools.toml', 'agents/typo.toml']);
    expect(json.files[2]?.findings).toEqual([expect.objectContaining({ ruleId: 'agent-unknown-field', line: 8, column: 1 })]);
    // A `.codex` folder: its config.toml and its agents.
    const sarif = JSON.parse((await runMain(['lint', home, '--format', 'sarif'], { cwd: scratch, env })).stdout);
    const run = sarif.runs[0];
    const ids = run.tool.driver.rules.map((r: { id: string }) => r.id);
    expect(ids).toEqual(expect.arrayContaining(['agent-unknown-field', 'agent-config', 'agent-sandbox-mode']));
    expect(run.results.map((r: { ruleId: string; locations: Array<{ physicalLocation: { region: { startLine: number } } }> }) => `${r.ruleId}:${r.locations[0]?.physicalLocation.region.startLine}`)).toEqual(
      expect.arrayContaining(['agent-unknown-field:8', 'agent-config:2']),
    );
  });

  it('rule severities from .orch/lint.json apply to agent rules too', async () => {
    const dir = mkdtempSync(join(scratch, 'agents-config-'));
    cpSync(join(agentFixtures, 'agent-sandbox-mode', 'not-ok', 'agents'), join(dir, 'agents'), { recursive: true });
    expect((await runMain(['lint', 'agents', '--max-warnings', '0'], { cwd: dir })).code).toBe(1);
    const configured = project('clean', { '.orch/lint.json': '{"agent-sandbox-mode": "off"}' });
    cpSync(join(dir, 'agents'), join(configured, 'agents'), { recursive: true });
    expect(await runMain(['lint', 'agents', '--max-warnings', '0'], { cwd: configured })).toMatchObject({ code: 0 });
  });
});

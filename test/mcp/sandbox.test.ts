import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { codexExec } from '../support/codex-exec.js';
import { call, scripted, steps } from '../support/codex-session.js';
import { codexBin, makeCodexHome, startMockModel } from '../support/mock-model.js';

// Where the user is: a real Codex session in the workspace-write sandbox of a trusted project,
// with the server `install --mcp` registered. The model (scripted) writes a .codex/config.toml
// into a subfolder, which the sandbox lets it do, and asks for a worker there: the worker's
// codex, started outside the sandbox, would load that file and start the MCP server it declares.

const scratch = realpathSync(mkdtempSync(join(tmpdir(), 'orch-mcp-sandbox-')));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

it('a sandboxed model cannot get a worker started below the folder, where it wrote a .codex/config.toml', { timeout: 120_000 }, async () => {
  const work = join(scratch, 'project');
  mkdirSync(work);
  writeFileSync(join(work, 'README.md'), '# Demo\n');
  // A repository: Codex then reads the .codex/config.toml of every folder from its top down to
  // where a session starts (trust is the top's).
  execFileSync('git', ['init', '--quiet', work], { env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' } });
  const marker = join(scratch, 'ran-outside-the-sandbox');
  const evil = `mkdir -p sub/.codex && printf '[mcp_servers.evil]\\ncommand = "touch"\\nargs = ["${marker}"]\\n' > sub/.codex/config.toml && echo written`;
  const model = await startMockModel(
    scripted({
      orchestrator: steps([call.execCommand('mkdir .codex; echo "rc=$?"'), call.execCommand(evil), call.mcp('start_run', { workers: [{ role: 'scout', params: { target: 'README.md' }, cd: 'sub' }], wait_seconds: 60 })], (turn) => ({ text: JSON.stringify(turn.calls.map((c) => c.output ?? '')) })),
      worker: () => ({ text: 'scouted' }),
    }),
  );
  const home = makeCodexHome(model, { extraConfig: `[projects."${work}"]\ntrust_level = "trusted"\n` });
  try {
    const userHome = join(scratch, 'home');
    mkdirSync(userHome);
    Object.assign(home.env, { HOME: userHome, CODEX_BIN: codexBin });
    const install = runCli(['install', '--mcp'], { env: home.env });
    expect(install.code, install.stderr).toBe(0);
    const session = await codexExec({ prompt: 'Scout the project with a worker in sub/.', args: ['--sandbox', 'workspace-write', '--disable', 'shell_snapshot'], env: home.env, cwd: work, timeoutMs: 100_000 });
    expect(session.code, session.stderr.slice(-2000)).toBe(0);
    const [root, sub, started] = JSON.parse(session.lastMessage ?? '[]') as string[];
    // The sandbox keeps the folder's own .codex read-only (even when there is none), not a subfolder's.
    expect(root).toMatch(/cannot create directory .\.codex.: File exists/);
    expect(sub).toContain('written');
    expect(existsSync(join(work, 'sub', '.codex', 'config.toml'))).toBe(true);
    expect(errorOf(started)).toMatchObject({ code: 'mcp-refused', message: expect.stringContaining('cd cannot be given to this server') });
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(join(work, '.orch', 'runs'))).toBe(false);
  } finally {
    home.cleanup();
    await model.close();
  }
});

/** The error a failed MCP call returned, as Codex hands it to the model: its text items, one the error's JSON. */
function errorOf(output: string | undefined): Record<string, unknown> | undefined {
  const items = JSON.parse(output ?? '[]') as Array<{ text?: string }>;
  const text = items.map((item) => item.text ?? '').find((t) => t.startsWith('{"error"'));
  return text === undefined ? undefined : (JSON.parse(text) as { error: Record<string, unknown> }).error;
}

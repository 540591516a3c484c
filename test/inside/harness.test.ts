import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codexExec } from '../support/codex-exec.js';
import { agentNamespace, call, execOutput, scripted, steps, turnOf, type Script } from '../support/codex-session.js';
import { fileScratch } from '../support/file-scratch.js';
import { startSharedModel, type MockRequest, type SharedModel } from '../support/mock-model.js';

// The scripted orchestrator harness against the pinned Codex: the tool names and argument shapes
// it relies on, and a real session acting on a script. A Codex upgrade that renames a tool fails
// here first.

// The sessions run at once (they mostly wait for their commands): one model serves them all,
// each session's requests answered by its own script, found by the session's own folder.
let model: SharedModel;
const scratch = fileScratch('orch-harness-');

beforeAll(async () => {
  model = await startSharedModel();
});
afterAll(() => model.close());

interface FunctionTool {
  type: string;
  name: string;
  parameters?: { properties?: Record<string, unknown>; required?: string[] };
  tools?: FunctionTool[];
  external_web_access?: boolean;
}

function toolsOf(request: MockRequest | undefined): FunctionTool[] {
  return (request?.body['tools'] ?? []) as FunctionTool[];
}

/** A real codex exec session in a folder of its own (`dir`, else a fresh one), answered by `script`. */
async function session(script: Script, prompt: string, args: string[] = [], dir = scratch.dir('session-')) {
  const route = model.route(dir, scripted({ orchestrator: script }));
  const result = await codexExec({ prompt, args, env: model.home.env, cwd: dir });
  return { ...result, requests: route.requests };
}

describe.concurrent('the pinned codex offers the tools the skill teaches', { timeout: 120_000 }, () => {
  it('exec_command, write_stdin and the multi_agent_v1 namespace, with the arguments the harness sends; no update_plan; cached web search', async () => {
    const script = () => ({ text: 'hello' });
    const { code, requests } = await session(script, 'Say hello.');
    expect(code).toBe(0);
    const tools = toolsOf(requests[0]);
    const byName = new Map(tools.map((t) => [t.name, t]));
    const props = (name: string, from = byName) => Object.keys(from.get(name)?.parameters?.properties ?? {});
    expect(props('exec_command')).toEqual(expect.arrayContaining(['cmd', 'tty', 'yield_time_ms', 'login', 'workdir', 'max_output_tokens', 'sandbox_permissions']));
    expect(props('write_stdin')).toEqual(expect.arrayContaining(['session_id', 'chars', 'yield_time_ms']));
    const agents = byName.get(agentNamespace);
    expect(agents?.type).toBe('namespace');
    const agentTools = new Map((agents?.tools ?? []).map((t) => [t.name, t]));
    expect([...agentTools.keys()].sort()).toEqual(['close_agent', 'resume_agent', 'send_input', 'spawn_agent', 'wait_agent']);
    expect(props('spawn_agent', agentTools)).toContain('message');
    expect(props('wait_agent', agentTools)).toEqual(expect.arrayContaining(['targets', 'timeout_ms']));
    expect(props('close_agent', agentTools)).toEqual(['target']);
    // The skill says "use update_plan if offered": by default codex exec does not offer it.
    expect(byName.has('update_plan')).toBe(false);
    expect(tools.find((t) => t.type === 'web_search')).toMatchObject({ external_web_access: false });
  });

  it('-c web_search="live" turns on live web search (what the skill tells research workers to pass)', async () => {
    const script = () => ({ text: 'hello' });
    const { code, requests } = await session(script, 'Say hello.', ['-c', 'web_search="live"']);
    expect(code).toBe(0);
    expect(toolsOf(requests[0]).find((t) => t.type === 'web_search')).toMatchObject({ external_web_access: true });
  });
});

describe.concurrent('a scripted session', { timeout: 120_000 }, () => {
  it('runs the scripted exec_command in its shell, sends the output back, and ends with the scripted final message', async () => {
    const script = steps([call.execCommand('echo "from the shell: $((6 * 7))"')], (turn) => ({ text: `saw: ${execOutput(turn.last).output.trim()}` }));
    const { code, lastMessage, requests } = await session(script, 'Run one command.');
    expect(code).toBe(0);
    expect(lastMessage).toBe('saw: from the shell: 42');
    const turns = requests.map(turnOf);
    expect(turns.map((t) => [t.kind, t.prompt.trim(), t.calls.length])).toEqual([
      ['orchestrator', 'Run one command.', 0],
      ['orchestrator', 'Run one command.', 1],
    ]);
    expect(execOutput(turns[1]?.last).exitCode).toBe(0);
  });

  // What stopping and typing into a session really do in 0.169 (the skill teaches exactly this).
  it('write_stdin: Ctrl-C ends a session in either mode; typing needs tty: true (pipes have no stdin)', async () => {
    const loop = 'for i in $(seq 1 60); do echo tick; sleep 1; done; echo finished';
    const write = (cmd: string, tty: boolean, chars: string): Script =>
      steps([call.execCommand(cmd, { tty, yieldTimeMs: 1_000 }), (turn) => call.writeStdin(execOutput(turn.last).sessionId ?? -1, chars, { yieldTimeMs: 1_000 })], (turn) => {
        const out = execOutput(turn.last);
        return { text: out.exitCode !== undefined ? `exited ${out.exitCode}` : out.sessionId !== undefined ? `running: ${out.output.trim()}` : `error: ${turn.last}` };
      });
    expect((await session(write(loop, false, '\u0003'), 'Stop a loop.')).lastMessage).toBe('exited 130');
    expect((await session(write(loop, false, 'yes\n'), 'Type into a loop.')).lastMessage).toBe('error: write_stdin failed: stdin is closed for this session; rerun exec_command with tty=true to keep stdin open');
    expect((await session(write('cat', true, 'hello\n'), 'Type into cat.')).lastMessage).toMatch(/^running: hello/);
    expect((await session(write(loop, true, '\u0003'), 'Stop a loop in a terminal.')).lastMessage).toMatch(/^exited \d+$/);
  });
  // The old skill said "use nohup"; in 0.169 that does not outlive the call.
  it.each(['workspace-write', 'danger-full-access'])('under %s, a job started with & or nohup ends when exec_command returns; a command left running in its session goes on', async (sandbox) => {
    const dir = scratch.dir('jobs-');
    const script = steps(
      [
        call.execCommand('(sleep 2; echo alive > background.txt) > /dev/null 2>&1 & nohup sh -c "sleep 2; echo alive > nohup.txt" > /dev/null 2>&1 & echo started'),
        call.execCommand('sleep 2; echo alive > session.txt', { yieldTimeMs: 500 }),
        call.execCommand('sleep 4; for f in background nohup session; do echo "$f: $(cat $f.txt 2>/dev/null || echo gone)"; done', { yieldTimeMs: 15_000 }),
      ],
      (turn) => ({ text: execOutput(turn.last).output.trim() }),
    );
    const result = await session(script, 'Start jobs.', ['--sandbox', sandbox], dir);
    expect(result.lastMessage).toBe('background: gone\nnohup: gone\nsession: alive');
  });

  // The old skill said "find the worker with pgrep and kill it": each sandboxed command has its own
  // process namespace, so only danger-full-access sees another session's worker.
  it.each([
    ['read-only', false],
    ['workspace-write', false],
    ['danger-full-access', true],
  ])('under %s, another command finds a worker running in its own session with pgrep: %s', async (sandbox, found) => {
    const dir = scratch.dir('pgrep-');
    // A worker no other session runs (these sessions run at once, and so may other test runs).
    const worker = `sleep 29.${Math.random().toString().slice(2, 8)}`;
    const script = steps(
      [call.execCommand(worker, { yieldTimeMs: 500 }), call.execCommand(`if pgrep -f "^${worker}$" > /dev/null; then echo found; else echo not found; fi`, { yieldTimeMs: 5_000 })],
      (turn) => ({ text: execOutput(turn.last).output.trim() }),
    );
    const result = await session(script, 'Find the worker.', ['--sandbox', sandbox], dir);
    expect(result.lastMessage).toBe(found ? 'found' : 'not found');
  });

  // The old skill offered escalated permissions as a way out of the sandbox: under codex exec the
  // approval policy is never, and such a request is refused without running anything.
  it('under codex exec, exec_command with sandbox_permissions "require_escalated" is refused', async () => {
    const script = steps([{ call: { name: 'exec_command', arguments: { cmd: 'echo ran', login: false, yield_time_ms: 5_000, sandbox_permissions: 'require_escalated', justification: 'start a worker' } } }], (turn) => ({ text: String(turn.last) }));
    const result = await session(script, 'Escalate.', ['--sandbox', 'workspace-write']);
    expect(result.lastMessage).toBe('approval policy is Never; reject command — you cannot ask for escalated permissions if the approval policy is Never');
  });

  // network_access is a setting of workspace-write: from read-only it gives the shell no network.
  it.each([
    [['--sandbox', 'read-only', '-c', 'sandbox_workspace_write.network_access=true'], '1'],
    [['--sandbox', 'workspace-write', '-c', 'sandbox_workspace_write.network_access=true'], ''],
  ])('with %j the shell sees CODEX_SANDBOX_NETWORK_DISABLED=%j', async (args, disabled) => {
    const script = steps([call.execCommand('echo "[$CODEX_SANDBOX_NETWORK_DISABLED]"')], (turn) => ({ text: execOutput(turn.last).output.trim() }));
    const result = await session(script, 'Check the network.', args);
    expect(result.lastMessage).toBe(`[${disabled}]`);
  });
});

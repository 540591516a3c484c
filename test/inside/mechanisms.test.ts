import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { codexExec } from '../support/codex-exec.js';
import { agentIdOf, call, completedOf, execOutput, mcpOutput, scripted, turnMetadata, turnOf, type CallRecord, type Script, type Turn } from '../support/codex-session.js';
import { codexBin, makeCodexHome, startMockModel, type CodexHome, type MockModelServer } from '../support/mock-model.js';
import { docsPath, renderMatrix, replaceMatrix, sandboxes, mechanisms, type Cell, type MechanismId, type SandboxId } from './matrix.js';

// Each worker mechanism the skill teaches, acted out by a scripted orchestrator inside a real
// `codex exec` session, under each sandbox. The skill is installed once into the shared
// CODEX_HOME and read by Codex (the prompt names `$codex-orchestration`); the orchestrator uses
// the installed skill's own script. The outcomes form the matrix in docs/inside-codex.md: this
// test fails when the doc says otherwise, and `ORCH_UPDATE_DOCS=1` rewrites it.

let server: MockModelServer;
let home: CodexHome;
/** The MCP row's own Codex home: the skill installed with `install --mcp` (the others start no server). */
let mcpHome: CodexHome;
let script: string;
const scratch = mkdtempSync(join(tmpdir(), 'orch-inside-'));
const lenses = ['risks', 'clarity'] as const;
const results = new Map<string, Cell>();

/** What a worker (sub-agent or nested `codex exec`) answers: its lens, so merging can be checked. */
function workerAnswer(turn: Turn): { text: string } {
  return { text: `finding from the ${/^LENS: ([a-z]+)/m.exec(turn.prompt)?.[1] ?? 'unknown'} reviewer` };
}

const orchestrators: Record<MechanismId, Script> = {
  'custom-agents': customAgents,
  'sub-agents': subAgents,
  run: bundledRun,
  'codex-exec': backgroundExec,
  mcp: mcpTools,
};

beforeAll(async () => {
  server = await startMockModel(
    scripted({
      orchestrator: (turn) => orchestrators[(/case=([a-z-]+)\//.exec(turn.prompt)?.[1] ?? 'sub-agents') as MechanismId](turn),
      subAgent: workerAnswer,
      worker: workerAnswer,
    }),
  );
  home = makeCodexHome(server);
  const userHome = join(scratch, 'home');
  mkdirSync(userHome);
  home.env['HOME'] = userHome;
  const install = runCli(['install'], { env: home.env });
  expect(install.code, install.stderr).toBe(0);
  script = join(home.home, 'skills', 'codex-orchestration', 'scripts', 'orch-prompt.mjs');
  // Workers the server starts are sessions too: makeCodexHome turns their login shell off as well.
  mcpHome = makeCodexHome(server);
  Object.assign(mcpHome.env, { HOME: userHome, CODEX_BIN: codexBin });
  const withMcp = runCli(['install', '--mcp'], { env: mcpHome.env });
  expect(withMcp.code, withMcp.stderr).toBe(0);
}, 60_000);

afterAll(async () => {
  await server?.close();
  home?.cleanup();
  mcpHome?.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

const render = (lens: string, flags = '') => `node ${script} reviewer --artefact README.md --lens ${lens}${flags}`;
const named = (turn: Turn, name: string): CallRecord[] => turn.calls.filter((c) => c.name === name);

/** (a) Custom agents: render two task messages, spawn `orch-reviewer` with each, wait, close. */
function customAgents(turn: Turn) {
  return nativeAgents(turn, ' --task-only', (message) => call.spawnAgent(message, 'orch-reviewer'));
}

/** (b) Native sub-agents: render two whole prompts, spawn a default agent with each, wait, close. */
function subAgents(turn: Turn) {
  return nativeAgents(turn, '', (prompt) => call.spawnAgent(prompt));
}

/** Render one text per lens, spawn an agent with each, wait until all are done, close them. */
function nativeAgents(turn: Turn, flags: string, spawn: (text: string) => ReturnType<Script>) {
  const renders = named(turn, 'exec_command');
  if (renders.length < lenses.length) return call.execCommand(render(lenses[renders.length] as string, flags));
  const spawns = named(turn, 'spawn_agent');
  if (spawns.length < lenses.length) {
    const printed = execOutput(renders[spawns.length]?.output);
    if (printed.exitCode !== 0) return { text: `FAILED rendering: ${printed.output}` };
    return spawn(printed.output);
  }
  const ids = spawns.map((s) => agentIdOf(s.output));
  const done: Record<string, string> = Object.assign({}, ...named(turn, 'wait_agent').map((w) => completedOf(w.output)));
  const pending = ids.filter((id) => !(id in done));
  // wait_agent returns when any one target finishes: wait again on the others.
  if (pending.length > 0 && named(turn, 'wait_agent').length < 6) return call.waitAgent(pending, 60_000);
  const closed = named(turn, 'close_agent').length;
  if (closed < ids.length) return call.closeAgent(ids[closed] as string);
  return { text: ids.map((id) => done[id] ?? '(no answer)').join('\n') };
}

/** (c) The installed skill's script: `run` with one worker per lens, then read the final messages. */
function bundledRun(turn: Turn) {
  const start = turn.calls[0];
  if (!start) return call.execCommand(`node ${script} run reviewer --artefact README.md --each-lens ${lenses.join(',')} --set codex-bin=${codexBin}`, { yieldTimeMs: 30_000 });
  const runCalls = [start, ...named(turn, 'write_stdin')];
  const ran = execOutput(runCalls.at(-1)?.output);
  if (ran.exitCode === undefined) {
    // Still running: poll the session (an empty write_stdin) until it exits.
    if (runCalls.length > 10) return { text: 'FAILED: still running' };
    return call.writeStdin(execOutput(start.output).sessionId ?? -1, '', { yieldTimeMs: 30_000 });
  }
  const printed = runCalls.map((c) => execOutput(c.output).output).join('').trim();
  if (ran.exitCode !== 0) return { text: `FAILED exit ${ran.exitCode}: ${printed}` };
  if (named(turn, 'exec_command').length === 1) return call.execCommand('cat .orch/runs/*/reviewer-*/last-message.md');
  return { text: execOutput(turn.last).output.trim() };
}

/**
 * (d) One `codex exec ... -o FILE -` per worker in its own terminal session, as the skill's
 * running-workers page teaches: prompts to files; each worker started by `exec_command` with a
 * short `yield_time_ms`, so the call returns its `session_id` while the worker keeps running (a
 * job put in the background with `&` or `nohup` is ended when the call returns); the `-o` files
 * polled; a log showing "Reconnecting" is the no-network hang, stopped with Ctrl-C through
 * `write_stdin`.
 */
function backgroundExec(turn: Turn) {
  const [prepare, ...rest] = turn.calls;
  if (!prepare) return call.execCommand(`mkdir -p w && ${lenses.map((l) => `${render(l)} > w/${l}.prompt`).join(' && ')}`);
  const prepared = execOutput(prepare.output);
  if (prepared.exitCode !== 0) return { text: `FAILED preparing: ${prepared.output.trim()}` };
  const launches = rest.slice(0, lenses.length);
  if (launches.length < lenses.length) {
    const l = lenses[launches.length] as string;
    return call.execCommand(`export PATH="${join(codexBin, '..')}:$PATH"; codex exec --skip-git-repo-check --sandbox read-only --disable multi_agent --disable multi_agent_v2 -o w/${l}.md - < w/${l}.prompt > w/${l}.log 2>&1`, { yieldTimeMs: 500 });
  }
  const sessions = launches.map((c) => execOutput(c.output).sessionId).filter((id): id is number => id !== undefined);
  const stops = named(turn, 'write_stdin');
  if (stops.length > 0) {
    if (stops.length < sessions.length) return call.writeStdin(sessions[stops.length] as number, '\u0003', { yieldTimeMs: 2_000 });
    return { text: `FAILED: hung, reconnecting; ${stops.map((c) => execOutput(c.output).exitCode === 130 ? 'stopped' : `not stopped: ${c.output}`).join(', ')}` };
  }
  const polls = rest.slice(lenses.length);
  const status = execOutput(turn.last).output;
  if (polls.length > 0 && lenses.every((l) => new RegExp(`^${l} done$`, 'm').test(status))) {
    return { text: status.split('\n').filter((line) => line.startsWith('finding from')).join('\n') };
  }
  if ((polls.length > 0 && /^[a-z]+ reconnecting$/m.test(status)) || polls.length >= 15) {
    if (sessions.length > 0) return call.writeStdin(sessions[0] as number, '\u0003', { yieldTimeMs: 2_000 });
    return { text: `FAILED: no worker session to stop; ${status.trim()}` };
  }
  return call.execCommand(pollStatus, { yieldTimeMs: 10_000 });
}

/**
 * (e) The MCP tools of `orch-prompt mcp`, registered by `install --mcp`: look at the shell's
 * network, render one prompt, start one worker per lens and wait, follow the run until it ends.
 */
function mcpTools(turn: Turn) {
  const [shell, render, ...rest] = turn.calls;
  if (!shell) return call.execCommand('echo "network-disabled=${CODEX_SANDBOX_NETWORK_DISABLED:-0}"');
  if (!render) return call.mcp('render_prompt', { role: 'reviewer', params: { artefact: 'README.md' }, lenses: ['risks'] });
  if (rest.length === 0) {
    const rendered = mcpOutput(render.output);
    if (!String(rendered['prompt'] ?? '').startsWith('CONTEXT: WORKER')) return { text: `FAILED render_prompt: ${render.output}` };
    return call.mcp('start_run', { workers: lenses.map((lens) => ({ role: 'reviewer', params: { artefact: 'README.md' }, lenses: [lens] })), wait_seconds: 100 });
  }
  const view = mcpOutput(turn.last) as { id?: string; status?: string; error?: { code: string; message: string }; workers?: Array<{ id: string; status: string; finalMessage: string | null; error: string | null }> };
  if (view.error || !view.workers) return { text: `FAILED ${view.error ? `${view.error.code}: ${view.error.message}` : turn.last}` };
  if (view.status === 'running' && rest.length < 6) return call.mcp('wait_run', { run: view.id, wait_seconds: 100 });
  const shellSaid = execOutput(shell.output).output.trim();
  return { text: [...view.workers.map((w) => w.finalMessage ?? `${w.id}: ${w.status} ${w.error ?? ''}`), `shell: ${shellSaid}`].join('\n') };
}

const each = (body: string) => `for l in ${lenses.join(' ')}; do ${body}; done`;
// One line per worker: done (its -o file has the answer), reconnecting (the no-network hang),
// running; then the answers, one per line.
const pollStatus = `sleep 1; ${each('if [ -s w/$l.md ]; then echo "$l done"; elif grep -q Reconnecting w/$l.log; then echo "$l reconnecting"; else echo "$l running"; fi')}; ${each('[ -s w/$l.md ] && { cat w/$l.md; echo; }')}; true`;

/** The matrix cell for one session, from what it did and said. */
function cellOf(mechanism: MechanismId, final: string | null): Cell {
  const text = final ?? '';
  if (lenses.every((l) => text.includes(`finding from the ${l} reviewer`))) return { works: true, note: '' };
  if (mechanism === 'run') {
    const causes: string[] = [];
    if (text.includes('CODEX_SANDBOX_NETWORK_DISABLED=1')) causes.push('no network');
    if (/run folder .* cannot be created \(EROFS\)/.test(text)) causes.push('run folder not writable');
    const exit = /FAILED exit (\d+)/.exec(text)?.[1];
    return { works: false, note: `stops at once (exit ${exit}): ${causes.join(', ') || text}` };
  }
  if (mechanism === 'codex-exec') {
    if (text.includes('Read-only file system')) return { works: false, note: 'fails at once: cannot write its prompt, log or `-o` file (read-only file system)' };
    if (/hung, reconnecting; stopped, stopped$/.test(text)) return { works: false, note: 'hangs: `Reconnecting... waiting for network` in its log; Ctrl-C through `write_stdin` stops it' };
  }
  return { works: false, note: text.split('\n')[0] ?? '' };
}

describe.concurrent('worker mechanisms inside a real Codex session', { timeout: 180_000 }, () => {
  for (const mechanism of Object.keys(mechanisms) as MechanismId[]) {
    for (const sandbox of Object.keys(sandboxes) as SandboxId[]) {
      it(`${mechanism} under ${sandbox}`, async () => {
        const work = join(scratch, `${mechanism}-${sandbox}`);
        mkdirSync(work);
        writeFileSync(join(work, 'README.md'), '# Demo\n\nA small artefact to review.\n');
        const first = server.requests.length;
        const session = await codexExec({
          prompt: `Use $codex-orchestration to review README.md through the risks and clarity lenses. case=${mechanism}/${sandbox}`,
          args: sandboxes[sandbox].args,
          env: mechanism === 'mcp' ? mcpHome.env : home.env,
          cwd: work,
          timeoutMs: 150_000,
        });
        expect(session.code, session.stderr.slice(-2000)).toBe(0);
        const cell = cellOf(mechanism, session.lastMessage);
        results.set(`${mechanism}/${sandbox}`, cell);
        const mine = server.requests.slice(first).map(turnOf);
        const orchestrator = mine.filter((t) => t.kind === 'orchestrator' && t.prompt.includes(`case=${mechanism}/${sandbox}`));
        // Codex loaded the installed skill: its body came with the prompt.
        expect(orchestrator[0]?.request.raw).toContain('<name>codex-orchestration</name>');
        if (mechanism === 'mcp') {
          // Codex offers the server's tools in the namespace mcp__orch, and they work from every
          // sandbox: the server, and the workers it starts, run outside it.
          const tools = (orchestrator[0]?.request.body['tools'] ?? []) as Array<{ type: string; name: string; tools?: Array<{ name: string }> }>;
          const namespace = tools.find((t) => t.name === 'mcp__orch');
          expect([namespace?.type, namespace?.tools?.map((t) => t.name).sort()]).toEqual(['namespace', ['cancel_run', 'get_run', 'lint_templates', 'list_runs', 'list_templates', 'render_prompt', 'start_run', 'wait_run']]);
          expect(cell).toEqual({ works: true, note: '' });
          // ... although the session's own shell has no network there.
          if (sandbox === 'read-only' || sandbox === 'workspace-write') expect(session.lastMessage).toContain('shell: network-disabled=1');
          const started = mine.filter((t) => t.kind === 'worker');
          expect(new Set(started.map((w) => /^LENS: ([a-z]+)/m.exec(w.prompt)?.[1]))).toEqual(new Set(lenses));
        }
        if (mechanism === 'sub-agents' || mechanism === 'custom-agents') {
          // Sub-agents work in every sandbox, get the rendered prompts, and inherit the sandbox.
          expect(cell).toEqual({ works: true, note: '' });
          const workers = server.requests.slice(first).map(turnOf).filter((t) => t.kind === 'sub-agent' && t.request.headers['x-codex-parent-thread-id'] === orchestrator[0]?.request.headers['thread-id']);
          expect(new Set(workers.map((w) => /^LENS: ([a-z]+)/m.exec(w.prompt)?.[1]))).toEqual(new Set(lenses));
          for (const w of workers) {
            // A custom agent gets the task as its message, the worker preamble as its instructions.
            if (mechanism === 'custom-agents') expect([w.prompt.startsWith('TASK: '), w.request.raw.includes(JSON.stringify('CONTEXT: WORKER\n').slice(1, -1))]).toEqual([true, true]);
            else expect(w.prompt.startsWith('CONTEXT: WORKER\n')).toBe(true);
            expect(turnMetadata(w.request)['sandbox_mode']).toBe(turnMetadata(orchestrator[0]!.request)['sandbox_mode']);
            expect(JSON.stringify(w.request.body['tools'])).not.toContain('spawn_agent');
          }
        }
      });
    }
  }
});

describe('docs/inside-codex.md', () => {
  it('shows the matrix these sessions produced', () => {
    const expected = [...results.keys()].length === Object.keys(mechanisms).length * Object.keys(sandboxes).length;
    expect(expected, 'every session ran').toBe(true);
    const doc = readFileSync(docsPath, 'utf8');
    const fresh = replaceMatrix(doc, renderMatrix(results));
    if (process.env['ORCH_UPDATE_DOCS'] === '1') writeFileSync(docsPath, fresh);
    else expect(doc, 'docs/inside-codex.md is out of date: run `npm run docs:inside` and review the change').toBe(fresh);
  });
});

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentInstructions, renderTaskMessage } from '../../src/prompt/agent.js';
import { loadTemplates } from '../../src/templates/load.js';
import { runCli } from '../support/cli.js';
import { offeredAgents } from '../support/codex-agents.js';
import { codexExec } from '../support/codex-exec.js';
import { agentIdOf, agentNamespace, call, completedOf, execOutput, scripted, turnMetadata, turnOf, type Script } from '../support/codex-session.js';
import { makeCodexHome, startMockModel, type CodexHome, type MockModelServer } from '../support/mock-model.js';

// The custom agents `orch-prompt install` writes, used by the real Codex 0.169 against a scripted
// loopback model: offered to the model, spawned by name with a task message from the installed
// skill's script, and run with the role's instructions and pinned model.

let server: MockModelServer;
let home: CodexHome;
const scratch = mkdtempSync(join(tmpdir(), 'orch-agents-e2e-'));
const work = join(scratch, 'work');
const reviewerSource = readFileSync(join(import.meta.dirname, '..', '..', 'templates', 'roles', 'reviewer.md'), 'utf8');
// The project pins a model and an effort for its reviewer (a copy of the built-in one).
const pinned = reviewerSource.replace('edits: false\n', 'edits: false\nmodel: mock-reviewer-model\nreasoning-effort: high\n');
let script: string;

/** The orchestrator: render the task message with the skill's script, spawn orch-reviewer, wait, close. */
const orchestrator: Script = (turn) => {
  const direct = /agent=([a-z-]+)/.exec(turn.prompt)?.[1];
  if (direct !== undefined) return spawnDirectly(turn, direct);
  const [render, spawn, wait, close] = turn.calls;
  if (!render) return call.execCommand(`node ${script} reviewer --artefact README.md --lens risks --task-only`);
  if (!spawn) {
    const printed = execOutput(render.output);
    if (printed.exitCode !== 0) return { text: `FAILED rendering: ${printed.output}` };
    // exec_command shows stderr too: orch-prompt's own notes (`orch-prompt: note: ...`, here that the
    // project's reviewer replaces the built-in one) are left out of the message, as the skill says.
    const message = printed.output.split('\n').filter((line) => !line.startsWith('orch-prompt: ')).join('\n');
    return { call: { name: 'spawn_agent', namespace: agentNamespace, arguments: { agent_type: 'orch-reviewer', message } } };
  }
  if (!wait) return call.waitAgent([agentIdOf(spawn.output)], 60_000);
  if (!close) return call.closeAgent(agentIdOf(spawn.output));
  return { text: Object.values(completedOf(wait.output)).join('\n') || `FAILED: ${wait.output}` };
};

/** Spawn an agent with a plain message, wait for it, close it. */
const spawnDirectly: (turn: Parameters<Script>[0], agent: string) => ReturnType<Script> = (turn, agent) => {
  const [spawn, wait, close] = turn.calls;
  if (!spawn) return { call: { name: 'spawn_agent', namespace: agentNamespace, arguments: { agent_type: agent, message: 'Say hello.' } } };
  if (!wait) return call.waitAgent([agentIdOf(spawn.output)], 60_000);
  if (!close) return call.closeAgent(agentIdOf(spawn.output));
  return { text: 'done' };
};

beforeAll(async () => {
  server = await startMockModel(scripted({ orchestrator, subAgent: () => ({ text: '{"summary": "No findings.", "findings": [], "residual_risks": []}' }) }));
  home = makeCodexHome(server);
  home.env['HOME'] = join(scratch, 'home');
  mkdirSync(home.env['HOME']);
  mkdirSync(join(work, '.orch', 'templates', 'roles'), { recursive: true });
  writeFileSync(join(work, '.orch', 'templates', 'roles', 'reviewer.md'), pinned);
  writeFileSync(join(work, 'README.md'), '# Demo\n');
  // Two agents of the user's that ask for a sandbox (agent-sandbox-mode warns that it does nothing).
  mkdirSync(join(home.home, 'agents'));
  for (const mode of ['read-only', 'danger-full-access']) {
    writeFileSync(join(home.home, 'agents', `${mode}.toml`), `name = "asks-${mode}"\ndescription = "x"\ndeveloper_instructions = "CONTEXT: WORKER"\nsandbox_mode = "${mode}"\n`);
  }
  const install = runCli(['install'], { env: home.env, cwd: work });
  expect(install.code, install.stderr).toBe(0);
  script = join(home.home, 'skills', 'codex-orchestration', 'scripts', 'orch-prompt.mjs');
}, 60_000);

afterAll(async () => {
  await server?.close();
  home?.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

describe('the installed custom agents in a real Codex session', { timeout: 150_000 }, () => {
  it('are offered in spawn_agent\'s agent_type, and the reviewer spawned by name runs with its instructions, its pinned model and the task message', async () => {
    const prompt = 'Review README.md through the risks lens with a worker.';
    const session = await codexExec({ prompt, args: ['--sandbox', 'read-only'], env: home.env, cwd: work });
    expect(session.code, session.stderr.slice(-2000)).toBe(0);
    expect(session.lastMessage).toBe('{"summary": "No findings.", "findings": [], "residual_risks": []}');
    const turns = server.requests.map(turnOf);
    const first = turns.find((t) => t.kind === 'orchestrator' && t.prompt === prompt);
    // Offered: every role's agent, with its description and (for the reviewer) its pinned model.
    const offered = offeredAgents(first!.request);
    expect([...offered.keys()].sort()).toEqual(['asks-danger-full-access', 'asks-read-only', 'orch-implementer', 'orch-researcher', 'orch-reviewer', 'orch-scout', 'orch-synthesizer', 'orch-verifier']);
    expect(offered.get('orch-reviewer')).toContain('Reviews an artefact or a change through one or two lenses');
    expect(offered.get('orch-reviewer')).toContain('`mock-reviewer-model`');
    // The sub-agent: the role's instructions as a developer message, the task message as its user message.
    const templates = loadTemplates([join(work, '.orch', 'templates')]);
    const sub = turns.find((t) => t.kind === 'sub-agent' && t.request.headers['x-codex-parent-thread-id'] === first?.request.headers['thread-id']);
    expect(sub).toBeDefined();
    const developer = (sub!.request.body['input'] as Array<{ role?: string; content?: Array<{ text?: string }> }>)
      .filter((item) => item.role === 'developer')
      .flatMap((item) => (item.content ?? []).map((part) => part.text));
    expect(developer).toContain(agentInstructions(templates.roles['reviewer']!, templates));
    expect(sub!.prompt).toBe(renderTaskMessage('reviewer', { templates, params: { artefact: 'README.md' }, lenses: ['risks'] }).message);
    expect(sub!.request.body['model']).toBe('mock-reviewer-model');
    expect((sub!.request.body['reasoning'] as { effort?: string }).effort).toBe('high');
    // Its parent's sandbox, and no sub-agent tools of its own.
    expect(turnMetadata(sub!.request)['sandbox_mode']).toBe('read-only');
    expect(JSON.stringify(sub!.request.body['tools'])).not.toContain('spawn_agent');
    // codex exec --json shows the spawn and the wait; the answer is only in the wait item.
    const collab = session.events.filter((e) => (e['item'] as { type?: string } | undefined)?.type === 'collab_tool_call' && e['type'] === 'item.completed').map((e) => e['item'] as { tool: string; prompt: string | null; agents_states: Record<string, { message: string | null }> });
    expect(collab.map((item) => item.tool)).toEqual(['spawn_agent', 'wait', 'close_agent']);
    expect(collab[0]?.prompt).toBe(sub!.prompt);
    expect(Object.values(collab[1]?.agents_states ?? {}).map((s) => s.message)).toEqual([session.lastMessage]);
  });

  it.each([
    ['asks-read-only', 'workspace-write'],
    ['asks-danger-full-access', 'read-only'],
  ])('sandbox_mode in an agent file has no effect: %s spawned from a %s session runs in that sandbox', async (agent, sandbox) => {
    const prompt = `Spawn it. agent=${agent} sandbox=${sandbox}`;
    const session = await codexExec({ prompt, args: ['--sandbox', sandbox], env: home.env, cwd: work });
    expect(session.code, session.stderr.slice(-2000)).toBe(0);
    const parent = server.requests.map(turnOf).find((t) => t.kind === 'orchestrator' && t.prompt === prompt);
    const sub = server.requests.map(turnOf).find((t) => t.kind === 'sub-agent' && t.request.headers['x-codex-parent-thread-id'] === parent?.request.headers['thread-id']);
    expect(turnMetadata(parent!.request)['sandbox_mode']).toBe(sandbox);
    expect(turnMetadata(sub!.request)['sandbox_mode']).toBe(sandbox);
  });
});

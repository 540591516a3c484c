import type { MockReply, MockRequest, Responder, ToolCall } from './mock-model.js';

// A scripted model for real `codex exec` sessions: the orchestrator session answers from a script
// of tool calls (the skill acted out step by step), sub-agents and nested workers from their own.
// Tool names, the namespace and argument shapes are those of the pinned Codex 0.169, read from
// the `tools` array it sends (test/inside/harness.test.ts fails loudly when they change).

/** Who sent a request. */
export type SessionKind = 'orchestrator' | 'sub-agent' | 'worker';

/** One tool call a session made, with the output Codex sent back (undefined while pending). */
export interface CallRecord {
  name: string;
  namespace: string | undefined;
  arguments: Record<string, unknown>;
  callId: string;
  output: string | undefined;
}

/** What one request tells about the session that sent it. */
export interface Turn {
  request: MockRequest;
  kind: SessionKind;
  /** The task the session was given: its first user message (Codex's own context left out). */
  prompt: string;
  /** Every tool call this session made so far, in order, with its output. */
  calls: CallRecord[];
  /** The output of the last call, if any. */
  last: string | undefined;
}

/** Decides one session's next reply from what it has seen so far. */
export type Script = (turn: Turn) => MockReply | Promise<MockReply>;

/** The multi-agent tools' namespace in Codex 0.169 (feature `multi_agent`, on by default). */
export const agentNamespace = 'multi_agent_v1';

/** Constructors of the tool calls the skill teaches, with Codex 0.169's argument names. */
export const call = {
  /** `exec_command`: run `cmd` in the agent's sandbox. `login: false` skips slow shell profiles. */
  execCommand(cmd: string, options: { yieldTimeMs?: number; tty?: boolean; workdir?: string; maxOutputTokens?: number } = {}): MockReply {
    const args: Record<string, unknown> = { cmd, login: false, yield_time_ms: options.yieldTimeMs ?? 10_000 };
    if (options.tty !== undefined) args['tty'] = options.tty;
    if (options.workdir !== undefined) args['workdir'] = options.workdir;
    if (options.maxOutputTokens !== undefined) args['max_output_tokens'] = options.maxOutputTokens;
    return tool('exec_command', args);
  },
  /** `write_stdin`: type `chars` into a running session, or poll it with none. */
  writeStdin(sessionId: number, chars = '', options: { yieldTimeMs?: number } = {}): MockReply {
    return tool('write_stdin', { session_id: sessionId, chars, yield_time_ms: options.yieldTimeMs ?? 5_000 });
  },
  /** `spawn_agent` with a message; with `agentType`, a custom agent by name (`orch-reviewer`). */
  spawnAgent(message: string, agentType?: string): MockReply {
    return tool('spawn_agent', { ...(agentType !== undefined ? { agent_type: agentType } : {}), message }, agentNamespace);
  },
  /** `wait_agent` returns as soon as one of `targets` reaches a final status. */
  waitAgent(targets: string[], timeoutMs = 120_000): MockReply {
    return tool('wait_agent', { targets, timeout_ms: timeoutMs }, agentNamespace);
  },
  closeAgent(target: string): MockReply {
    return tool('close_agent', { target }, agentNamespace);
  },
  /** A tool of an MCP server: Codex 0.169 offers them in the namespace `mcp__<server>`. */
  mcp(name: string, args: Record<string, unknown>, server = 'orch'): MockReply {
    return tool(name, args, `mcp__${server}`);
  },
};

/**
 * What an MCP tool call returned, as Codex hands it to the model: the structured result (or the
 * error object) as JSON after Codex's own lines. `{}` when there is none.
 */
export function mcpOutput(text: string | undefined): Record<string, unknown> {
  const value = text ?? '';
  const at = value.indexOf('{');
  try {
    return at === -1 ? {} : (JSON.parse(value.slice(at)) as Record<string, unknown>);
  } catch {
    return {};
  }
}

function tool(name: string, args: Record<string, unknown>, namespace?: string): MockReply {
  const value: ToolCall = { name, arguments: args };
  if (namespace !== undefined) value.namespace = namespace;
  return { call: value };
}

/** A script that makes one call per step (step N answers after N calls), then `final`. */
export function steps(list: ReadonlyArray<MockReply | Script>, final: Script = () => ({ text: 'done' })): Script {
  return (turn) => {
    const step = list[turn.calls.length];
    if (step === undefined) return final(turn);
    return typeof step === 'function' ? step(turn) : step;
  };
}

/**
 * A responder that routes each request to the script of the session that sent it: Codex marks a
 * sub-agent's requests with `x-openai-subagent`; a nested `codex exec` worker is known by its
 * prompt, which starts with `CONTEXT: WORKER`; everything else is the orchestrator.
 */
export function scripted(scripts: { orchestrator: Script; subAgent?: Script; worker?: Script }): Responder {
  return (request) => {
    const turn = turnOf(request);
    const script = turn.kind === 'orchestrator' ? scripts.orchestrator : turn.kind === 'sub-agent' ? scripts.subAgent : scripts.worker;
    return script ? script(turn) : { text: 'ok' };
  };
}

/** Read a request as a turn of its session. */
export function turnOf(request: MockRequest): Turn {
  const prompt = promptOf(request);
  const kind: SessionKind = request.headers['x-openai-subagent'] !== undefined ? 'sub-agent' : prompt.startsWith('CONTEXT: WORKER') ? 'worker' : 'orchestrator';
  const calls = callsOf(request);
  return { request, kind, prompt, calls, last: calls.at(-1)?.output };
}

interface InputItem {
  type?: string;
  role?: string;
  content?: Array<{ type?: string; text?: string }>;
  name?: string;
  namespace?: string;
  arguments?: string;
  call_id?: string;
  output?: unknown;
}

function items(request: MockRequest): InputItem[] {
  const input = request.body['input'];
  return Array.isArray(input) ? (input as InputItem[]) : [];
}

// Codex sends its own context as user messages too: the environment, AGENTS.md, skill bodies.
const codexContext = /^(<environment_context>|<user_instructions>|# AGENTS\.md|<skill>|<subagent_notification>)/;

/** The session's task: its first user text that is not context Codex added. */
export function promptOf(request: MockRequest): string {
  for (const item of items(request)) {
    if (item.type !== 'message' || item.role !== 'user') continue;
    for (const part of item.content ?? []) {
      if (part.type === 'input_text' && typeof part.text === 'string' && !codexContext.test(part.text)) return part.text;
    }
  }
  return '';
}

/** The session's tool calls so far, each paired with its `function_call_output`. */
export function callsOf(request: MockRequest): CallRecord[] {
  const calls: CallRecord[] = [];
  const byId = new Map<string, CallRecord>();
  for (const item of items(request)) {
    if (item.type === 'function_call' && typeof item.call_id === 'string') {
      const record: CallRecord = { name: item.name ?? '', namespace: item.namespace, arguments: parseArgs(item.arguments), callId: item.call_id, output: undefined };
      calls.push(record);
      byId.set(item.call_id, record);
    } else if (item.type === 'function_call_output' && typeof item.call_id === 'string') {
      const record = byId.get(item.call_id);
      if (record) record.output = typeof item.output === 'string' ? item.output : JSON.stringify(item.output);
    }
  }
  return calls;
}

function parseArgs(text: string | undefined): Record<string, unknown> {
  try {
    return JSON.parse(text ?? '{}') as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** What `exec_command` / `write_stdin` reported: the exit code, or the session id of a running process. */
export interface ExecOutput {
  exitCode: number | undefined;
  sessionId: number | undefined;
  output: string;
}

/** Parse the text Codex 0.169 returns for `exec_command` and `write_stdin`. */
export function execOutput(text: string | undefined): ExecOutput {
  const value = text ?? '';
  const exit = /^Process exited with code (-?\d+)$/m.exec(value);
  const running = /^Process running with session ID (\d+)$/m.exec(value);
  const at = value.indexOf('\nOutput:\n');
  return {
    exitCode: exit ? Number(exit[1]) : undefined,
    sessionId: running ? Number(running[1]) : undefined,
    output: at === -1 ? '' : value.slice(at + '\nOutput:\n'.length),
  };
}

/** The agent id `spawn_agent` returned. */
export function agentIdOf(output: string | undefined): string {
  const id = (JSON.parse(output ?? '{}') as { agent_id?: unknown }).agent_id;
  if (typeof id !== 'string') throw new Error(`spawn_agent returned no agent_id: ${output}`);
  return id;
}

/** The final messages `wait_agent` reported, by agent id (only agents that completed). */
export function completedOf(output: string | undefined): Record<string, string> {
  const parsed = JSON.parse(output ?? '{}') as { status?: Record<string, { completed?: unknown }> };
  const done: Record<string, string> = {};
  for (const [id, status] of Object.entries(parsed.status ?? {})) if (typeof status.completed === 'string') done[id] = status.completed;
  return done;
}

/** The `x-codex-turn-metadata` header Codex sends with each request (sandbox, thread ids...). */
export function turnMetadata(request: MockRequest): Record<string, unknown> {
  try {
    return JSON.parse(request.headers['x-codex-turn-metadata'] ?? '{}') as Record<string, unknown>;
  } catch {
    return {};
  }
}

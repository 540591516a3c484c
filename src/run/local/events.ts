import type { TokenUsage } from '../record/model.js';

/** What the runner learns about a worker from its `codex exec --json` events. */
export interface EventState {
  threadId: string | null;
  usage: TokenUsage | null;
  /** From `turn.failed` or `error` events. */
  error: string | null;
  turnFailed: boolean;
  /** A few words on what the worker is doing now (for the live display). */
  activity: string;
  /** Ids of commands and tool calls started and not yet completed: they may take long on their own. */
  busy: Set<string>;
}

/** A fresh state. */
export function initialEventState(): EventState {
  return { threadId: null, usage: null, error: null, turnFailed: false, activity: 'starting', busy: new Set() };
}

/** Item types whose running time is the tool's, not the model's. */
const longItems = new Set(['command_execution', 'mcp_tool_call']);

/**
 * Whether an event shows the worker making progress. An `error` event (Codex's
 * "Reconnecting..." / "stream disconnected") or an error item is not: a worker that shows
 * nothing else is waiting for a model it cannot reach.
 */
export function isProgress(event: Record<string, unknown>): boolean {
  if (event['type'] === 'error') return false;
  const item = event['item'];
  return !(item !== null && typeof item === 'object' && (item as { type?: unknown }).type === 'error');
}

/**
 * Fold one event into the state. Returns true when the change is worth recording in the
 * manifest (thread id, usage, failure); activity alone is not.
 */
export function applyEvent(state: EventState, event: Record<string, unknown>): boolean {
  switch (event['type']) {
    case 'thread.started':
      if (typeof event['thread_id'] === 'string') state.threadId = event['thread_id'];
      state.activity = 'thread started';
      return true;
    case 'turn.started':
      state.activity = 'thinking';
      return false;
    case 'turn.completed':
      state.usage = usageOf(event['usage']);
      state.activity = 'turn completed';
      return true;
    case 'turn.failed':
      state.turnFailed = true;
      state.error = messageOf(event['error']) ?? state.error ?? 'turn failed';
      state.activity = 'failed';
      return true;
    case 'error': {
      const message = typeof event['message'] === 'string' ? event['message'] : null;
      if (message !== null) {
        // Also shown live: Codex reports a lost model connection this way ("Reconnecting...").
        state.error = message;
        state.activity = oneLine(message);
      }
      return true;
    }
    case 'item.started':
    case 'item.updated':
    case 'item.completed': {
      const item = event['item'] as { id?: unknown; type?: unknown } | null;
      if (item !== null && typeof item === 'object' && typeof item.id === 'string' && longItems.has(String(item.type))) {
        if (event['type'] === 'item.completed') state.busy.delete(item.id);
        else state.busy.add(item.id);
      }
      state.activity = describeItem(event['item'], event['type'] === 'item.completed');
      return false;
    }
    default:
      return false;
  }
}

function usageOf(value: unknown): TokenUsage | null {
  if (value === null || typeof value !== 'object') return null;
  const u = value as Record<string, unknown>;
  const n = (key: string): number => (typeof u[key] === 'number' ? (u[key] as number) : 0);
  const usage: TokenUsage = { input_tokens: n('input_tokens'), cached_input_tokens: n('cached_input_tokens'), output_tokens: n('output_tokens') };
  if (typeof u['reasoning_output_tokens'] === 'number') usage.reasoning_output_tokens = u['reasoning_output_tokens'];
  return usage;
}

function messageOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object' && typeof (value as { message?: unknown }).message === 'string') return (value as { message: string }).message;
  return null;
}

function describeItem(value: unknown, done: boolean): string {
  if (value === null || typeof value !== 'object') return 'working';
  const item = value as Record<string, unknown>;
  switch (item['type']) {
    case 'command_execution':
      return `${done ? 'ran' : 'running'} ${oneLine(String(item['command'] ?? ''))}`;
    case 'file_change':
      return 'editing files';
    case 'agent_message':
      return 'writing the answer';
    case 'reasoning':
      return 'thinking';
    case 'mcp_tool_call':
      return `tool ${String(item['tool'] ?? '')}`.trim();
    case 'web_search':
      return 'searching the web';
    case 'todo_list':
      return 'planning';
    case 'error':
      return `error: ${oneLine(String(item['message'] ?? ''))}`;
    default:
      return 'working';
  }
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}

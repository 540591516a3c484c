import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { describeError, UserError } from '../errors/index.js';
import type { ServerContext } from './context.js';
import { checkInput, type CallExtras, type Tool } from './tool.js';
import { serverTools } from './tools/index.js';

/** What the server tells a client about itself at initialize: how the tools fit together. */
const instructions =
  'orch-prompt runs Codex workers for you from outside the sandbox: list_templates shows the roles and lenses; render_prompt gives a validated worker prompt (or, with task_only, the message for the orch-ROLE custom agent); start_run starts codex exec workers (they reach the model even when your shell has no network) and records them in .orch/runs/; wait_run and get_run follow a run and return each final message; cancel_run stops it. Errors carry the CLI\'s error code.';

/**
 * The MCP server over the runner's front door: one tool per operation, each input checked
 * against its schema, each result structured, and every failure a tool error (`isError`) whose
 * text is the CLI's `--format json` error line, `{"error": {"code", "message", ...}}`: the same
 * catalog code as the CLI, never a crash of the server.
 */
export function createMcpServer(context: ServerContext, version: string): Server {
  const tools = serverTools(context);
  // The low-level server: the tools' schemas are JSON Schema made from the runner's own tables
  // (executor plan keys, settings), which McpServer would want as Zod.
  const server = new Server({ name: 'orch-prompt', title: 'codex-orchestration', version }, { capabilities: { tools: {} }, instructions });
  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: tools.map((tool) => ({ name: tool.name, title: tool.annotations.title, description: tool.description, inputSchema: tool.inputSchema, outputSchema: tool.outputSchema, annotations: tool.annotations })),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const token = request.params._meta?.progressToken;
    const extras: CallExtras = {
      signal: extra.signal,
      progress(progress, total, message) {
        if (token === undefined || extra.signal.aborted) return;
        extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress, ...(total !== undefined ? { total } : {}), message } }).catch(() => undefined);
      },
    };
    return callTool(tools.find((t) => t.name === request.params.name), request.params.name, request.params.arguments, context, extras);
  });
  return server;
}

/** Run one tool call; a failure of any kind is the tool's error result (a bug is also logged on stderr). */
export async function callTool(tool: Tool | undefined, name: string, args: unknown, context: ServerContext, extras: CallExtras): Promise<CallToolResult> {
  try {
    if (!tool) throw new UserError('usage', `no tool \`${name.slice(0, 100)}\` (see tools/list)`);
    const result = await tool.call(checkInput(tool, args), context, extras);
    return { content: [{ type: 'text', text: JSON.stringify(result) }], structuredContent: result };
  } catch (error) {
    const { code, message, data } = describeError(error);
    if (code === 'internal') context.log(`${name}: ${message}`, error);
    return { isError: true, content: [{ type: 'text', text: JSON.stringify({ error: { ...data, code, message } }) }] };
  }
}

import type { ServerContext } from '../context.js';
import type { Tool } from '../tool.js';
import { cancelRun, getRun, listRunsTool, startRunTool, waitRun } from './run-tools.js';
import { lintTemplates, listTemplates, renderPromptTool } from './template-tools.js';

/** Every tool the server offers, in the order Codex lists them. */
export function serverTools(context: Pick<ServerContext, 'kinds'>): Tool[] {
  return [listTemplates, renderPromptTool, lintTemplates, startRunTool(context), getRun, waitRun, cancelRun, listRunsTool];
}

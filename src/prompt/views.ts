import type { TaskMessageResult } from './agent.js';
import type { RenderResult } from './render.js';

/** A rendered prompt as data: what `orch-prompt ROLE --format json` prints and `render_prompt` returns. */
export function promptView(result: RenderResult): Record<string, unknown> {
  return {
    role: result.role,
    lenses: result.lenses,
    scope: result.scope,
    edits: result.edits,
    size: result.size,
    warnings: result.warnings,
    ...(result.outputSchema ? { outputSchema: result.outputSchema } : {}),
    prompt: result.prompt,
  };
}

/** A task message as data (`--task-only --format json`): the message and the custom agent to spawn with it. */
export function messageView(result: TaskMessageResult): Record<string, unknown> {
  return {
    role: result.role,
    agent: result.agent,
    lenses: result.lenses,
    scope: result.scope,
    edits: result.edits,
    size: result.size,
    warnings: result.warnings,
    message: result.message,
  };
}

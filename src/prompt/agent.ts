import type { RootContent } from 'mdast';
import { stringifyMarkdown } from '../markdown/stringify.js';
import type { RoleTemplate, TemplateSet } from '../templates/model.js';
import { placeholdersInTree } from '../templates/placeholders.js';
import { terminalSafe } from '../text/terminal.js';
import { composePrompt, label, labelled, measure, renderWorkerText, sectionLabels, type RenderOptions, type SectionKey, type TextSize } from './render.js';
import { omitBlocksUsing } from './substitute.js';

// A role as a Codex custom agent: what holds for every task of the role goes into the agent's
// `developer_instructions`, what changes from task to task into `spawn_agent`'s message. The two
// together say what the whole prompt says (test/prompt/agent-split.test.ts compares them).

/**
 * The prefix of every custom agent compiled from a role (`orch-reviewer`): the agent's name is
 * what `spawn_agent`'s `agent_type` takes, and Codex knows agents by name only, so ours keep to
 * a namespace of their own instead of taking a name a user's agent may have.
 */
export const agentNamePrefix = 'orch-';

/** The custom agent's name for a role. */
export function agentNameFor(roleName: string): string {
  return `${agentNamePrefix}${roleName}`;
}

/** A task message for a role's custom agent, and what it was made of. */
export interface TaskMessageResult {
  /** The text to pass as `spawn_agent`'s `message`: TASK, SCOPE, LENS, context pack, task-specific items. */
  message: string;
  role: string;
  /** The custom agent to spawn (`spawn_agent`'s `agent_type`). */
  agent: string;
  lenses: string[];
  scope: string;
  edits: boolean;
  size: TextSize;
  warnings: string[];
}

/**
 * The task part of a role's prompt, for `spawn_agent {agent_type, message}`: TASK, SCOPE, LENS,
 * the context pack, and the role's Do / Output / Don't items that use a value of this request
 * (a role's other items are in its agent's instructions, see {@link agentInstructions}). Checked
 * exactly as `renderPrompt` checks a request.
 *
 * @throws {UserError} as `renderPrompt` does.
 */
export function renderTaskMessage(roleName: string, options: RenderOptions = {}): TaskMessageResult {
  const composed = composePrompt(roleName, options);
  const message = terminalSafe(stringifyMarkdown({ type: 'root', children: [...composed.task, ...labelled(composed.specific)] }));
  const { size, warnings } = measure(message, options.budget, 'message');
  const { role } = composed;
  return { message, role: role.name, agent: agentNameFor(role.name), lenses: composed.lenses, scope: composed.scope, edits: role.edits, size, warnings };
}

/** The line that tells an agent where its task comes from. */
export const taskHandoff =
  "YOUR TASK comes in the orchestrator's message that follows: its TASK, SCOPE, LENS (when there is one) and context pack, and at times DO, OUTPUT or DON'T items for that task alone. The sections below hold for every task you are given.";

/** The label of the output contract in an agent's instructions. */
export const contractLabel = 'OUTPUT CONTRACT: your final message is one JSON object that follows this JSON Schema, with nothing before or after it.';

/**
 * A role's standing instructions, for its custom agent's `developer_instructions`: the preamble
 * (`CONTEXT: WORKER` first), where the task comes from, the role's Do / Output / Don't items
 * that hold for every task (those that use a value are left to the task message), and the
 * role's output contract when it declares one (nothing enforces it as `--output-schema` does
 * for `orch-prompt run`, so the agent is told).
 */
export function agentInstructions(role: RoleTemplate, templates: TemplateSet): string {
  const standing = {} as Record<SectionKey, RootContent[]>;
  for (const key of Object.keys(sectionLabels) as SectionKey[]) {
    standing[key] = omitBlocksUsing(role.sections[key].children, new Set(placeholdersInTree(role.sections[key])));
  }
  const children: RootContent[] = [...templates.preamble.body.children, label(taskHandoff), ...labelled(standing)];
  if (role.outputSchema) children.push(label(contractLabel), { type: 'code', lang: 'json', meta: null, value: JSON.stringify(role.outputSchema, null, 2) });
  return renderWorkerText(templates, children);
}

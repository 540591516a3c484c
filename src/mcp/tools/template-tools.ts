import { lintPaths } from '../../lint/lint-paths.js';
import { jsonReport } from '../../lint/reporters/json.js';
import { renderTaskMessage } from '../../prompt/agent.js';
import { renderPrompt } from '../../prompt/render.js';
import { messageView, promptView } from '../../prompt/views.js';
import { overrideView, templateListing } from '../../templates/listing.js';
import { codexHome } from '../../run/index.js';
import { serverTemplates } from '../templates.js';
import { defineTool, type JsonSchema } from '../tool.js';
import { pathInside } from '../trust.js';

const strings = { type: 'array', items: { type: 'string' } };
const stringMap = { type: 'object', additionalProperties: { type: 'string' } };
const anyObject: JsonSchema = { type: 'object', additionalProperties: true };

/** `list_templates`: `orch-prompt list --format json`. */
export const listTemplates = defineTool<Record<string, never>>({
  name: 'list_templates',
  description:
    "The worker roles (reviewer, researcher, implementer, verifier, scout, synthesizer, and the project's own from .orch/templates/) with their parameters, lens rule, scope and whether they edit, and the lenses with their aliases. Call it first to know what render_prompt and start_run take.",
  inputSchema: { type: 'object', properties: {}, additionalProperties: false },
  outputSchema: {
    type: 'object',
    required: ['roles', 'lenses', 'overrides', 'problems'],
    properties: { roles: { type: 'array', items: anyObject }, lenses: { type: 'array', items: anyObject }, overrides: { type: 'array' }, problems: { type: 'array', items: { type: 'string' } } },
  },
  annotations: { title: 'List worker roles and lenses', readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  async call(_input, context) {
    const { templates } = await serverTemplates(context.root);
    return { ...templateListing(templates), overrides: templates.overrides.map(overrideView), problems: templates.problems.map((p) => p.message) };
  },
});

interface RenderInput {
  role: string;
  lenses?: string[];
  params?: Record<string, string>;
  context_pack?: Record<string, string>;
  task?: string;
  scope?: string;
  task_only?: boolean;
}

/** `render_prompt`: `orch-prompt ROLE ... --format json` (with `task_only`: `--task-only`). */
export const renderPromptTool = defineTool<RenderInput>({
  name: 'render_prompt',
  description:
    "Render a validated worker prompt for a role, exactly as `orch-prompt ROLE` prints it: the CONTEXT: WORKER guard, task, scope, lenses, the context pack and the role's Do / Output / Don't. With task_only, the task message for the role's custom agent instead (spawn_agent with agent_type `agent` from the result). Unknown lenses, missing parameters and an editing role without a scope are refused with the CLI's error code.",
  inputSchema: {
    type: 'object',
    required: ['role'],
    additionalProperties: false,
    properties: {
      role: { type: 'string', minLength: 1, description: 'A role name (see list_templates).' },
      lenses: { ...strings, description: 'Lens names or aliases (a reviewer takes 1 or 2).' },
      params: { ...stringMap, description: 'The role\'s parameters by name, e.g. {"artefact": "src/"} for a reviewer, {"deliverable": "..."} for an implementer.' },
      context_pack: { ...stringMap, description: 'What the worker cannot infer, by field: goal, non-goals, constraints, pointers, decisions, success.' },
      task: { type: 'string', description: "Replaces the role's task line." },
      scope: { type: 'string', description: "Replaces the role's default scope; an editing role needs one naming what it may edit." },
      task_only: { type: 'boolean', description: "Only the task message, for the role's custom agent (orch-ROLE), whose instructions hold the rest." },
    },
  },
  outputSchema: {
    type: 'object',
    required: ['role', 'lenses', 'size', 'warnings'],
    properties: {
      role: { type: 'string' },
      agent: { type: 'string' },
      lenses: strings,
      scope: { type: 'string' },
      edits: { type: 'boolean' },
      size: anyObject,
      warnings: strings,
      prompt: { type: 'string' },
      message: { type: 'string' },
      outputSchema: anyObject,
      overrides: { type: 'array' },
    },
  },
  annotations: { title: 'Render a worker prompt', readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  async call(input, context) {
    const { templates } = await serverTemplates(context.root);
    const options = {
      templates,
      params: input.params ?? {},
      lenses: input.lenses ?? [],
      context: input.context_pack ?? {},
      ...(input.task !== undefined ? { task: input.task } : {}),
      ...(input.scope !== undefined ? { scope: input.scope } : {}),
    };
    const view = input.task_only === true ? messageView(renderTaskMessage(input.role, options)) : promptView(renderPrompt(input.role, options));
    return { ...view, overrides: templates.overrides.map(overrideView) };
  },
});

/** `lint_templates`: `orch-prompt lint PATH... --format json`, for paths inside the served folder. */
export const lintTemplates = defineTool<{ paths?: string[] }>({
  name: 'lint_templates',
  description:
    'Lint worker templates, a skill folder or SKILL.md, or Codex agent files (*.toml, agents/, .codex/, config.toml) in this project, exactly as `orch-prompt lint --format json`: every file with its findings (rule id, severity, line, column, message) and the totals. Without paths: .orch/templates/ when there is one, else the built-in templates.',
  inputSchema: {
    type: 'object',
    additionalProperties: false,
    properties: { paths: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'Files or folders, relative to the project folder (inside it).' } },
  },
  outputSchema: { type: 'object', required: ['version', 'summary', 'files'], properties: { version: { type: 'integer' }, summary: anyObject, files: { type: 'array', items: anyObject } } },
  annotations: { title: 'Lint templates and agent files', readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  async call(input, context) {
    const paths = (input.paths ?? []).map((path) => pathInside(context.root, path, 'lint_templates: paths'));
    const results = await lintPaths(paths, { cwd: context.root, codexHome: codexHome(context.env) });
    return { ...jsonReport(results) };
  },
});

import { resolve } from 'node:path';
import { agentNameFor, renderTaskMessage } from '../../prompt/agent.js';
import { renderPrompt } from '../../prompt/render.js';
import { messageView, promptView } from '../../prompt/views.js';
import type { LoadedTemplates, RoleTemplate, TemplateSet } from '../../templates/model.js';
import { terminalSafe } from '../../text/terminal.js';
import type { Command } from '../command.js';
import { reportWarning } from '../report-error.js';
import { type FlagSpec, formatFlag, stringFlag } from '../flags.js';
import { promptFlagTable, promptOptions, roleDescription, roleUsage } from '../prompt-flags.js';
import { overrideView } from '../../templates/listing.js';

function outputFlags(role: RoleTemplate): FlagSpec[] {
  return [
    {
      name: 'task-only',
      type: 'boolean',
      description: `Print only the task part (TASK, SCOPE, LENS, context pack): the message for spawn_agent with agent_type ${agentNameFor(role.name)}, the custom agent \`orch-prompt install\` writes, whose instructions hold the rest of the prompt.`,
    },
    formatFlag('text prints the prompt (or the message); json prints prompt (or message and agent), role, lenses, scope, size, warnings and overrides (project templates that replace built-ins).'),
    { name: 'out', short: 'o', type: 'string', value: 'FILE', description: 'Write to FILE instead of standard output: a file is replaced atomically (keeping its permissions), a link is followed, a pipe or device is written into.' },
  ];
}

/**
 * `orch-prompt <role>`: print a validated worker prompt. A project role's texts reach `--help`
 * terminal-safe (a control character in a description prints as an escape).
 */
export function promptCommand(role: RoleTemplate, templates: TemplateSet & Partial<Pick<LoadedTemplates, 'overrides'>>): Command {
  const safe = (text: string): string => terminalSafe(text);
  return {
    name: role.name,
    summary: safe(role.description),
    usage: roleUsage(role),
    description: safe(roleDescription(role)),
    flags: [...promptFlagTable(role, templates), ...outputFlags(role)].map((flag) => ({ ...flag, description: safe(flag.description) })),
    examples: exampleFor(role),
    async run(args, io) {
      const options = await promptOptions(role, templates, args.flags, io.cwd);
      const taskOnly = args.flags['task-only'] === true;
      const result = taskOnly ? renderTaskMessage(role.name, options) : renderPrompt(role.name, options);
      const format = stringFlag(args.flags, 'format') ?? 'text';
      const view = 'message' in result ? messageView(result) : promptView(result);
      const text = format === 'json' ? `${JSON.stringify({ ...view, overrides: (templates.overrides ?? []).map(overrideView) }, null, 2)}\n` : 'message' in result ? result.message : result.prompt;
      const out = stringFlag(args.flags, 'out');
      if (out !== undefined) {
        // Loaded when used: the file writer and its timers are no part of printing a prompt.
        const { writeOutputFile } = await import('../../fs/write-output.js');
        await writeOutputFile(resolve(io.cwd, out), text, io.signal ? { signal: io.signal } : {});
      } else io.stdout.write(text);
      if (format === 'text') for (const warning of result.warnings) reportWarning(io, warning);
      return 0;
    },
  };
}

function exampleFor(role: RoleTemplate): string[] {
  const params = role.parameters.filter((p) => p.required).map((p) => `--${p.name} ${p.name === 'artefact' ? 'src/' : `"..."`}`);
  const lens = role.lenses.mode === 'none' ? [] : ['--lens risks'];
  const scope = role.edits && role.scope === undefined ? ['--scope "may edit src/cli/ only"'] : [];
  return [[role.name, ...params, ...lens, ...scope].join(' '), [role.name, ...params, ...lens, ...scope, '--goal "..."', '--format json'].join(' '), [role.name, ...params, ...lens, ...scope, '--task-only'].join(' ')];
}

import { join } from 'node:path';
import { findPluginManifest } from '../../lint/skill/rules/skill-plugin-ancestor.js';
import { builtSkill } from '../../skill/build.js';
import { installSkill, uninstallSkill, type InstallOptions, type InstallResult } from '../../skill/install.js';
import { installTargets, skillsDir, type InstallTarget } from '../../skill/install-targets.js';
import { refuseInvalidSkill } from '../../skill/validate.js';
import { agentTemplateFlags, agentsLines, agentsStep, noAgentsFlag } from '../agents-install.js';
import { mcpFlag, mcpLines, mcpStep } from '../mcp-install.js';
import type { Command } from '../command.js';
import type { FlagSpec, ParsedArgs } from '../flags.js';
import { formatFlag, stringFlag } from '../flags.js';
import type { CliIo } from '../io.js';
import { reportWarning } from '../report-error.js';
import { aftermathLines, placeName, shownPath } from '../skill-report.js';
import { version } from '../version.js';

/** Flags shared by `install` and `uninstall`. */
export const targetFlags: readonly FlagSpec[] = [
  { name: 'target', type: 'string', value: 'TARGET', choices: installTargets, default: 'codex', description: 'codex: $CODEX_HOME/skills (default ~/.codex/skills); agents: ~/.agents/skills; openclaw: the OpenClaw workspace skills/ ($OPENCLAW_WORKSPACE, default ~/.openclaw/workspace).' },
  { name: 'project', type: 'boolean', description: 'Use the project in the current folder: .agents/skills (codex, agents; codex also .codex/agents) or skills/ (openclaw).' },
  { name: 'dest', type: 'string', value: 'DIR', description: 'Skills folder to use instead of the target\'s.' },
  { name: 'force', type: 'boolean', description: 'Replace or remove a skill folder that was edited or not installed by orch-prompt; a backup is kept.' },
  { name: 'dry-run', type: 'boolean', description: 'Print the plan and change nothing.' },
  formatFlag('Output format.'),
  noAgentsFlag,
  mcpFlag,
];

/** Install options from parsed flags. */
export function installOptions(args: ParsedArgs, io: CliIo): InstallOptions {
  const dest = stringFlag(args.flags, 'dest');
  return {
    target: (stringFlag(args.flags, 'target') ?? 'codex') as InstallTarget,
    project: args.flags['project'] === true,
    ...(dest === undefined ? {} : { dest }),
    force: args.flags['force'] === true,
    dryRun: args.flags['dry-run'] === true,
    cwd: io.cwd,
    env: io.env,
    version: version(),
  };
}

/** What is true after an install, per target: who lists the skill, and how it is invoked. */
function whoListsIt(options: InstallOptions): string {
  if (options.dest !== undefined) return 'Installed into a folder you chose: only agents that read skills from it will list it.';
  switch (options.target) {
    case 'codex':
      return options.project
        ? 'Codex lists it in new sessions started in this project; invoke it with $codex-orchestration.'
        : 'Codex lists it in new sessions; invoke it with $codex-orchestration.';
    case 'agents':
      return options.project
        ? 'Codex lists it in new sessions started in this project; invoke it with $codex-orchestration.'
        : 'Codex (and other agents that read ~/.agents/skills) list it in new sessions; in Codex, invoke it with $codex-orchestration.';
    case 'openclaw':
      return 'OpenClaw reads it from this workspace in new sessions. Codex does not read this folder: for Codex, use --target codex or --target agents.';
  }
}

/** Report an install or uninstall result for people. */
export function reportInstall(result: InstallResult, options: InstallOptions, io: CliIo, agentLines: readonly string[] = []): void {
  const target = `(target ${options.target}${options.project ? ', project' : ''})`;
  const skill = `codex-orchestration ${options.version}`;
  const would = (done: string, planned: string): string => (result.dryRun ? planned : done);
  const lines: string[] = [];
  switch (result.action) {
    case 'unchanged':
      lines.push(`${skill} is already installed and up to date in ${placeName(result)} ${target}`);
      break;
    case 'absent':
      lines.push(`nothing to remove: ${placeName(result)} does not exist ${target}`);
      break;
    case 'remove':
      lines.push(
        result.linkedTo
          ? `${would('removed', 'would remove')} the link ${shownPath(result.dir)} ${target}; the folder it points to, ${shownPath(result.linkedTo)}, stays`
          : `${would('removed', 'would remove')} ${shownPath(result.dir)} ${target}`,
      );
      break;
    default: {
      const verb = { install: ['installed', 'would install'], update: ['updated', 'would update'], replace: ['replaced', 'would replace'] }[result.action];
      lines.push(`${would(verb[0] as string, verb[1] as string)} ${skill} into ${placeName(result)} ${target}`);
      if (result.dryRun) lines.push(...result.files.map((file) => `  ${file}`));
    }
  }
  lines.push(...aftermathLines(result), ...agentLines);
  if (!result.dryRun && ['install', 'update', 'replace'].includes(result.action)) lines.push(whoListsIt(options));
  io.stdout.write(`${lines.join('\n')}\n`);
}

/** Run install or uninstall; a refusal is a `UserError` (one line, exit 1). */
export async function runInstall(kind: 'install' | 'uninstall', args: ParsedArgs, io: CliIo): Promise<number> {
  const options = installOptions(args, io);
  const format = stringFlag(args.flags, 'format') ?? 'text';
  const folder = builtSkill();
  if (kind === 'install') refuseInvalidSkill(folder, { print: (text) => io.stderr.write(text), nothing: 'installed' });
  // The agents are checked before the skill is touched: a refusal there changes nothing at all.
  const agentsPlan = await agentsStep(kind, args, io, options);
  agentsPlan?.plan();
  const mcpPlan = mcpStep(kind, args, options, join(skillsDir(options), folder.name));
  mcpPlan?.plan();
  const result = kind === 'install' ? installSkill(folder, options) : uninstallSkill(folder, options);
  const agents = agentsPlan?.apply();
  const mcp = mcpPlan?.apply();
  // Codex lists a skill below a plugin manifest as `<plugin>:<name>`, so `$codex-orchestration`
  // would not name it: said on every install there (the skill lint says it of a folder too).
  const plugin = kind === 'install' ? findPluginManifest(result.dir) : undefined;
  if (plugin) {
    const listed = `${plugin.name ?? '<plugin name>'}:${folder.name}`;
    reportWarning(io, `${plugin.path} makes Codex list the skill as \`${listed}\`: invoke it as $${listed}, or install it outside the plugin`);
  }
  if (format === 'json') io.stdout.write(`${JSON.stringify({ ...result, target: options.target, version: options.version, ...(plugin ? { plugin } : {}), ...(agents ? { agents } : {}), ...(mcp ? { mcp } : {}) }, null, 2)}\n`);
  else reportInstall(result, options, io, [...(agents ? agentsLines(kind, agents, options) : []), ...(mcp ? mcpLines(mcp, options, args.flags['mcp'] === true) : [])]);
  return 0;
}

/** `orch-prompt install`. */
export const command: Command = {
  name: 'install',
  summary: 'Install the skill for Codex, ~/.agents or OpenClaw (atomic, idempotent).',
  usage: 'install [--target codex|agents|openclaw] [--project] [--dest DIR] [--force] [--dry-run] [--no-agents] [--mcp]',
  description:
    'Builds the skill and installs it as <skills folder>/codex-orchestration/. With --target codex it also writes one Codex custom agent per role (orch-<role>.toml: the role\'s standing instructions, spawned by name with the task message `orch-prompt ROLE ... --task-only` prints) into $CODEX_HOME/agents, or .codex/agents with --project; roles of .orch/templates/ and --templates are compiled too, agents it wrote that are no longer compiled are removed, and a file it did not write or that was edited is never replaced without --force. Written beside and renamed into place; an identical install is left alone; a folder you edited (files changed, added or removed, links or folders added) or did not install with orch-prompt is never overwritten unless --force, which keeps it in .orch-skill-backups/ beside the skills folder. A skills-folder entry that is a symbolic link (a skill kept in dotfiles) is updated through the link. Leftovers of an interrupted install are put right first. Warns when the skills folder is inside a plugin (Codex would list the skill as <plugin>:codex-orchestration). With --mcp it also registers the installed skill\'s script as the MCP server `orch` ([mcp_servers.orch] in $CODEX_HOME/config.toml, .codex/config.toml with --project; the rest of the file is left as it was), forwarding CODEX_HOME and the configured provider\'s key variable, with calls approved so that `codex exec` can make them: a sandboxed session then runs workers through its tools (docs/mcp.md).',
  flags: [...targetFlags, ...agentTemplateFlags],
  examples: ['install --dry-run', 'install', 'install --mcp', 'install --project', 'install --no-agents', 'install --target agents --project', 'install --target openclaw'],
  run: (args, io) => runInstall('install', args, io),
};

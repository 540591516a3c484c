import { join } from 'node:path';
import { UserError } from '../errors/index.js';
import { isLink } from '../fs/link-target.js';
import { projectTrusted } from '../lint/agent/agent-layer.js';
import { compileAgents } from '../skill/agents/compile-agents.js';
import { installAgents, uninstallAgents, type AgentsResult } from '../skill/agents/install-agents.js';
import { validateAgents } from '../skill/agents/validate-agents.js';
import { agentsDir, codexHome } from '../skill/install-targets.js';
import type { InstallOptions } from '../skill/install.js';
import type { FlagSpec, ParsedArgs } from './flags.js';
import type { CliIo } from './io.js';
import { reportWarning } from './report-error.js';
import { shownPath } from './skill-report.js';
import { loadCliTemplates, templateSourceFlags, templateSourceOf } from './templates-source.js';

/** The flag of `install` and `uninstall` that leaves the custom agents (target codex) alone. */
export const noAgentsFlag: FlagSpec = { name: 'no-agents', type: 'boolean', description: 'Leave the Codex custom agents (one per role, orch-<role>.toml) alone: install or remove only the skill.' };

/** `install`'s flags that choose the roles compiled into agents (as for `orch-prompt <role>`). */
export const agentTemplateFlags: readonly FlagSpec[] = templateSourceFlags;

/** The agents step of an install or uninstall: checked first (`plan`), carried out after the skill (`apply`). */
export interface AgentsStep {
  plan(): AgentsResult;
  apply(): AgentsResult;
}

/**
 * The custom agents an install writes (or an uninstall removes) with the skill, for target
 * `codex`: one per role of the templates in effect (built-ins, `.orch/templates/`, `--templates`),
 * compiled and linted as Codex loads them. `undefined` when the target takes no agents.
 *
 * @throws {UserError} `template-invalid` when a role compiles to an agent Codex would skip.
 */
export async function agentsStep(kind: 'install' | 'uninstall', args: ParsedArgs, io: CliIo, options: InstallOptions): Promise<AgentsStep | undefined> {
  const dir = agentsDir(options);
  if (dir === undefined || args.flags['no-agents'] === true) return undefined;
  if (options.project) refuseProjectLinks(join(options.cwd, '.codex'), dir);
  const place = { force: options.force === true, version: options.version, ...(options.now ? { now: options.now } : {}) };
  if (kind === 'uninstall') {
    return { plan: () => uninstallAgents(dir, { ...place, dryRun: true }), apply: () => uninstallAgents(dir, { ...place, dryRun: options.dryRun === true }) };
  }
  const templates = await loadCliTemplates(templateSourceOf(args.flags), io);
  const agents = compileAgents(templates, options.version);
  const problems = validateAgents(agents);
  if (problems.errors.length > 0) throw new UserError('template-invalid', `a role compiles to an agent Codex would skip: ${problems.errors[0]}`);
  for (const warning of problems.warnings) reportWarning(io, warning);
  return { plan: () => installAgents(agents, dir, { ...place, dryRun: true }), apply: () => installAgents(agents, dir, { ...place, dryRun: options.dryRun === true }) };
}

/** Lines for people about what happened to the agents. */
export function agentsLines(kind: 'install' | 'uninstall', result: AgentsResult, options: InstallOptions): string[] {
  const would = (done: string, planned: string): string => (result.dryRun ? planned : done);
  const names = (files: readonly string[]): string => files.map((file) => file.replace(/\.toml$/, '')).join(', ');
  const where = shownPath(result.dir);
  const lines: string[] = [];
  if (result.written.length > 0) lines.push(`${would('wrote', 'would write')} ${result.written.length} custom agent${result.written.length === 1 ? '' : 's'} into ${where}: ${names(result.written)}`);
  if (kind === 'install' && result.written.length === 0 && result.unchanged.length > 0) lines.push(`custom agents already up to date in ${where}: ${names(result.unchanged)}`);
  if (result.removed.length > 0) lines.push(`${would('removed', 'would remove')} ${kind === 'install' ? 'custom agents no longer compiled' : 'custom agents'} from ${where}: ${names(result.removed)}`);
  if (kind === 'uninstall' && result.removed.length === 0) lines.push(`no custom agents of orch-prompt to remove in ${where}`);
  if (result.kept.length > 0) lines.push(`left ${names(result.kept)} in ${where}: orch-prompt wrote it, but it was edited since (uninstall --force removes it)`);
  if (result.backup) lines.push(`${would('kept', 'would keep')} the edited agent files at ${shownPath(result.backup)}`);
  if (kind === 'install' && !result.dryRun && options.project) {
    const trusted = projectTrusted(options.cwd, codexHome(options.env));
    if (trusted !== true) lines.push(`Codex reads .codex/agents only in a trusted project, and ${shownPath(options.cwd)} is not trusted yet: run \`codex exec --trust\` here once, or trust it when Codex asks.`);
  }
  return lines;
}

/**
 * With --project, orch-prompt writes only into the project's own `.codex/`: a link there or at
 * `.codex/agents` (a cloned repository can ship one) would send the agents, and the removal of
 * old ones, anywhere.
 *
 * @throws {UserError} `install-refused` naming the link.
 */
function refuseProjectLinks(codex: string, agents: string): void {
  if (isLink(codex)) throw new UserError('install-refused', `${codex} is a symbolic link; with --project orch-prompt writes only into the project's own .codex/ (its agents, and with --mcp its config.toml): replace the link with a folder, or install without --project`, { data: { path: codex } });
  if (isLink(agents)) throw new UserError('install-refused', `${agents} is a symbolic link; with --project the agents are written only into the project's own .codex/agents/: replace the link with a folder, or install without --project`, { data: { path: agents } });
}

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readTextBounded } from '../../fs/read-bounded.js';
import { agentFilesIn, maxAgentFileBytes, projectTrusted } from '../../lint/agent/agent-layer.js';
import { lintAgentFiles } from '../../lint/agent/agent-lint.js';
import { parseTomlDocument } from '../../lint/agent/toml-document.js';
import type { DoctorCheck } from '../doctor-check.js';
import { codexHome } from '../install-targets.js';
import { skillName } from '../skill-name.js';
import type { AgentFile } from './compile-agents.js';
import { agentsManifestName, installAgents } from './install-agents.js';

/** An agents folder Codex reads for a working folder, lowest precedence first. */
interface Layer {
  dir: string;
  /** For a project layer: the folder holding `.codex/`, and whether Codex trusts it. */
  project?: { dir: string; trusted: boolean };
}

/** `$CODEX_HOME/agents`, then `.codex/agents` in each folder from the project root (`.git`) down to `cwd`. */
function layersFor(cwd: string, home: string): Layer[] {
  const folders: string[] = [];
  for (let dir = cwd; ; dir = dirname(dir)) {
    folders.unshift(dir);
    if (existsSync(join(dir, '.git')) || dir === dirname(dir)) break;
  }
  const root = existsSync(join(folders[0] as string, '.git')) ? folders : [cwd];
  const projects = root
    .filter((dir) => existsSync(join(dir, '.codex', 'agents')) && join(dir, '.codex') !== home)
    .map((dir): Layer => ({ dir: join(dir, '.codex', 'agents'), project: { dir, trusted: projectTrusted(dir, home) === true } }));
  return [{ dir: join(home, 'agents') }, ...projects];
}

/**
 * What Codex would do with the custom agents for a session started in `cwd`: the agents it
 * offers (a project's replacing a user's of the same name), each file it skips and why (the agent
 * lint rules' first error), the project agents it ignores for want of trust, and whether the
 * agents `orch-prompt install` writes are there and current.
 */
export function agentChecks(options: { cwd: string; env: Readonly<Record<string, string | undefined>>; compiled: readonly AgentFile[] | undefined; version: string }): DoctorCheck[] {
  const home = codexHome(options.env);
  const checks: DoctorCheck[] = [];
  const offered = new Map<string, string>();
  const layers = layersFor(options.cwd, home);
  const layerRoot = (file: string): string => layers.map((l) => l.dir).filter((dir) => file.startsWith(`${dir}/`)).at(-1) ?? dirname(file);
  for (const layer of layers) {
    const files = agentFilesIn(layer.dir).files;
    if (layer.project && !layer.project.trusted && files.length > 0) {
      checks.push({
        id: 'agents',
        ok: false,
        message: `${files.length} custom agent file${files.length === 1 ? '' : 's'} in ${layer.dir} ${files.length === 1 ? 'is' : 'are'} not loaded: Codex reads a project's .codex/ only when it trusts the project, and ${layer.project.dir} is not trusted`,
        fix: `run \`codex exec --trust\` in ${layer.project.dir} once (or trust it when Codex asks)`,
      });
      continue;
    }
    for (const result of lintAgentFiles(files, { codexHome: home })) {
      const error = result.findings.find((f) => f.severity === 'error');
      if (error) {
        checks.push({ id: 'agents', ok: false, message: `Codex skips ${result.file}: ${error.message} (${error.ruleId}, line ${error.place.line})`, fix: `orch-prompt lint ${result.file}` });
        continue;
      }
      offered.set(nameOf(result.file), result.file);
    }
  }
  // Grouped by the agents folder each comes from: `a, b (in DIR); c (in DIR2)`.
  const byFolder = new Map<string, string[]>();
  for (const [name, file] of offered) byFolder.set(layerRoot(file), [...(byFolder.get(layerRoot(file)) ?? []), name]);
  const list = [...byFolder].map(([dir, names]) => `${names.join(', ')} (in ${dir})`).join('; ');
  checks.unshift({ id: 'agents', ok: true, message: offered.size === 0 ? 'Codex loads no custom agents here' : `Codex loads ${offered.size} custom agent${offered.size === 1 ? '' : 's'} here: ${list}` });
  const ours = oursCheck(home, options);
  if (ours) checks.push(ours);
  return checks;
}

/** The name of an agent file that lints clean (so it reads and parses). */
function nameOf(file: string): string {
  const name = parseTomlDocument(readTextBounded(file, { maxBytes: maxAgentFileBytes })).data['name'];
  return typeof name === 'string' ? name.trim() : file;
}

/** Whether the agents `install` writes into `$CODEX_HOME/agents` are there and current (when the skill is installed there). */
function oursCheck(home: string, options: { compiled: readonly AgentFile[] | undefined; version: string }): DoctorCheck | undefined {
  const dir = join(home, 'agents');
  const installed = existsSync(join(dir, agentsManifestName));
  if (!installed) {
    if (!existsSync(join(home, 'skills', skillName))) return undefined;
    return { id: 'agents', ok: false, message: `the skill is installed in ${join(home, 'skills')} without its custom agents (orch-reviewer, ...): spawn_agent cannot start them by name`, fix: 'orch-prompt install' };
  }
  if (!options.compiled) return undefined;
  let plan;
  try {
    plan = installAgents(options.compiled, dir, { dryRun: true, version: options.version });
  } catch (error) {
    return { id: 'agents', ok: false, message: (error as Error).message.replace(/^install: /, ''), fix: 'orch-prompt install --force (keeps a backup of your edits)' };
  }
  if (plan.written.length === 0 && plan.removed.length === 0) return { id: 'agents', ok: true, message: `the custom agents of orch-prompt are installed and current in ${dir}` };
  return { id: 'agents', ok: false, message: `the custom agents in ${dir} are out of date (${[...plan.written, ...plan.removed].join(', ')})`, fix: 'orch-prompt install' };
}

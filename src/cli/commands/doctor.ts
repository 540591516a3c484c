import { builtSkill } from '../../skill/build.js';
import { runDoctor } from '../../skill/doctor.js';
import { compileAgents, type AgentFile } from '../../skill/agents/compile-agents.js';
import type { SkillFolder } from '../../skill/skill-files.js';
import { terminalSafe } from '../../text/terminal.js';
import type { Command } from '../command.js';
import { formatFlag, stringFlag } from '../flags.js';
import { loadCliTemplates, templateSourceFlags, templateSourceOf } from '../templates-source.js';
import { version } from '../version.js';

/** `orch-prompt doctor`. */
export const command: Command = {
  name: 'doctor',
  summary: 'Check codex, CODEX_HOME, Node, the installed skill and custom agents; print a fix for each problem.',
  usage: 'doctor [--format json]',
  description:
    'Finds the codex that orch-prompt run would start ($CODEX_BIN, else codex on PATH) and its version, CODEX_HOME, the Node version, whether the installed skill is current (and what an interrupted install left), and other skills named codex-orchestration that would make $codex-orchestration ambiguous, the Codex custom agents a session here would load and the files it would skip (with why), whether the orch-<role> agents install writes are current, the MCP server entry install --mcp writes (node and script there, calls approved, CODEX_HOME and the provider key forwarded), and whether clawhub (needed only by publish) is there and logged in. Exits 1 when a problem is found, with a fix for each.',
  flags: [formatFlag('Output format.'), ...templateSourceFlags],
  examples: ['doctor', 'doctor --format json'],
  async run(args, io) {
    let folder: SkillFolder | undefined;
    try {
      folder = builtSkill();
    } catch {
      // Run from a copy of the skill: there is nothing to compare the install with.
      folder = undefined;
    }
    let agents: AgentFile[] | undefined;
    try {
      agents = compileAgents(await loadCliTemplates(templateSourceOf(args.flags), io, { notices: false }), version());
    } catch {
      agents = undefined;
    }
    const checks = await runDoctor({ cwd: io.cwd, env: io.env, folder, ...(agents ? { agents } : {}), version: version() });
    const problems = checks.filter((c) => !c.ok);
    if (stringFlag(args.flags, 'format') === 'json') {
      io.stdout.write(`${JSON.stringify({ ok: problems.length === 0, checks }, null, 2)}\n`);
    } else {
      // Messages hold paths and names found on disk: shown with control characters escaped.
      const safe = (text: string): string => terminalSafe(text, { singleLine: true });
      const lines = checks.flatMap((c) => [`${c.ok ? 'ok     ' : 'problem'}  ${safe(c.message)}`, ...(c.fix ? [`         fix: ${safe(c.fix)}`] : [])]);
      lines.push(problems.length === 0 ? 'no problems found' : `${problems.length} problem${problems.length === 1 ? '' : 's'} found`);
      io.stdout.write(`${lines.join('\n')}\n`);
    }
    return problems.length === 0 ? 0 : 1;
  },
};

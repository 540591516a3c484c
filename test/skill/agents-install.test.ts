import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { agentFilesIn } from '../../src/lint/agent/agent-layer.js';
import { lintAgentFiles } from '../../src/lint/agent/agent-lint.js';
import { agentInstructions } from '../../src/prompt/agent.js';
import { builtinTemplates } from '../../src/templates/builtin-set.js';
import { runMain } from '../support/cli.js';
import { skillHomes } from '../support/skill-home.js';

// `orch-prompt install` (target codex) writes one Codex custom agent per role beside the user's
// own agents, and `uninstall` removes exactly the ones it wrote.

const { box } = skillHomes('orch-agents-install-');
const roles = Object.keys(builtinTemplates().roles).sort();
const ours = roles.map((role) => `orch-${role}.toml`);
const auditor = '---\nkind: role\nname: auditor\ndescription: Audits a module for licence headers and lists the files without one.\nscope: read-only\nedits: false\nmodel: gpt-audit\nreasoning-effort: high\nlenses: {mode: none, max: 1}\nparameters:\n  - {name: module, description: The module., required: true}\n---\n\n## Task\n\nAudit {{module}}.\n\n## Do\n\n- Quote each missing header.\n\n## Output\n\n- One line per file.\n\n## Don\'t\n\n- Edit files.\n';

const files = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).sort() : []);

describe('install writes the custom agents (target codex)', () => {
  it('one agent per role into $CODEX_HOME/agents, each clean under the agent rules and holding the role\'s instructions', async () => {
    const b = box();
    const result = await runMain(['install'], { env: b.env, cwd: b.project });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    const agents = join(b.codexHome, 'agents');
    expect(result.stdout).toContain(`wrote 6 custom agents into ${agents}: ${roles.map((r) => `orch-${r}`).join(', ')}\n`);
    expect(files(agents)).toEqual(['.orch-agents.json', ...ours]);
    const lint = lintAgentFiles(agentFilesIn(agents).files, { codexHome: b.codexHome });
    expect(lint.flatMap((r) => r.findings.map((f) => `${r.file}: ${f.ruleId} ${f.message}`))).toEqual([]);
    const templates = builtinTemplates();
    for (const role of roles) {
      const data = parseToml(readFileSync(join(agents, `orch-${role}.toml`), 'utf8'));
      expect(Object.keys(data).sort()).toEqual(['description', 'developer_instructions', 'name']);
      expect(data['name']).toBe(`orch-${role}`);
      expect(data['developer_instructions']).toBe(agentInstructions(templates.roles[role]!, templates));
      expect(data['description']).toContain(`\`orch-prompt ${role} ... --task-only\``);
    }
    const again = await runMain(['install'], { env: b.env, cwd: b.project });
    expect(again.stdout).toContain(`custom agents already up to date in ${agents}`);
  });

  it('a project role compiles too, with its pinned model; removing the role removes its agent at the next install', async () => {
    const b = box();
    mkdirSync(join(b.project, '.orch', 'templates', 'roles'), { recursive: true });
    writeFileSync(join(b.project, '.orch', 'templates', 'roles', 'auditor.md'), auditor);
    expect((await runMain(['install'], { env: b.env, cwd: b.project })).code).toBe(0);
    const agents = join(b.codexHome, 'agents');
    const data = parseToml(readFileSync(join(agents, 'orch-auditor.toml'), 'utf8'));
    expect([data['model'], data['model_reasoning_effort']]).toEqual(['gpt-audit', 'high']);
    rmSync(join(b.project, '.orch'), { recursive: true });
    const again = await runMain(['install'], { env: b.env, cwd: b.project });
    expect(again.stdout).toContain(`removed custom agents no longer compiled from ${agents}: orch-auditor\n`);
    expect(files(agents)).toEqual(['.orch-agents.json', ...ours]);
  });

  it('never overwrites an edited agent or another file of that name without --force, and refuses a user agent of the same name outright', async () => {
    const b = box();
    const agents = join(b.codexHome, 'agents');
    mkdirSync(agents, { recursive: true });
    writeFileSync(join(agents, 'orch-scout.toml'), 'name = "my-scout"\n');
    const foreign = await runMain(['install'], { env: b.env, cwd: b.project });
    expect([foreign.code, foreign.stderr]).toEqual([1, `orch-prompt: install: ${join(agents, 'orch-scout.toml')} exists and was not written by orch-prompt; nothing was changed. Pass --force to replace it (a backup is kept)\n`]);
    // Nothing was changed: not even the skill was installed.
    expect(existsSync(join(b.codexHome, 'skills'))).toBe(false);
    expect(files(agents)).toEqual(['orch-scout.toml']);
    rmSync(join(agents, 'orch-scout.toml'));
    writeFileSync(join(agents, 'mine.toml'), 'name = "orch-reviewer"\ndescription = "x"\ndeveloper_instructions = "y"\n');
    const clash = await runMain(['install', '--force'], { env: b.env, cwd: b.project });
    expect(clash.code).toBe(1);
    expect(clash.stderr).toContain(`${join(agents, 'mine.toml')} already defines an agent named \`orch-reviewer\``);
    rmSync(join(agents, 'mine.toml'));
    expect((await runMain(['install'], { env: b.env, cwd: b.project })).code).toBe(0);
    writeFileSync(join(agents, 'orch-scout.toml'), `${readFileSync(join(agents, 'orch-scout.toml'), 'utf8')}# my note\n`);
    const edited = await runMain(['install'], { env: b.env, cwd: b.project });
    expect(edited.code).toBe(1);
    expect(edited.stderr).toContain('orch-scout.toml exists and was edited since it was installed');
    const forced = await runMain(['install', '--force'], { env: b.env, cwd: b.project });
    expect(forced.code, forced.stderr).toBe(0);
    const [backup] = files(b.backups);
    expect(readFileSync(join(b.backups, backup as string, 'orch-scout.toml'), 'utf8')).toContain('# my note');
    expect(readFileSync(join(agents, 'orch-scout.toml'), 'utf8')).not.toContain('# my note');
  });

  it('uninstall removes exactly the agents it wrote; the user\'s own agents stay', async () => {
    const b = box();
    const agents = join(b.codexHome, 'agents');
    mkdirSync(join(agents, 'team'), { recursive: true });
    writeFileSync(join(agents, 'mine.toml'), 'name = "mine"\n');
    writeFileSync(join(agents, 'team', 'orch-reviewer.toml'), 'name = "team-reviewer"\n');
    expect((await runMain(['install'], { env: b.env, cwd: b.project })).code).toBe(0);
    const dry = await runMain(['uninstall', '--dry-run'], { env: b.env, cwd: b.project });
    expect(dry.stdout).toContain(`would remove custom agents from ${agents}: ${roles.map((r) => `orch-${r}`).join(', ')}`);
    expect(files(agents)).toContain('orch-reviewer.toml');
    const removed = await runMain(['uninstall', '--format', 'json'], { env: b.env, cwd: b.project });
    expect(removed.code).toBe(0);
    expect((JSON.parse(removed.stdout) as { agents: { removed: string[] } }).agents.removed).toEqual(ours);
    expect(files(agents)).toEqual(['mine.toml', 'team']);
    expect(files(join(agents, 'team'))).toEqual(['orch-reviewer.toml']);
    const nothing = await runMain(['uninstall'], { env: b.env, cwd: b.project });
    expect(nothing.stdout).toContain(`no custom agents of orch-prompt to remove in ${agents}`);
  });

  it('--project: the skill into .agents/skills, the agents into .codex/agents, and a word about trust', async () => {
    const b = box();
    const result = await runMain(['install', '--project'], { env: b.env, cwd: b.project });
    expect(result.code, result.stderr).toBe(0);
    expect(files(join(b.project, '.agents', 'skills'))).toEqual(['codex-orchestration']);
    expect(files(join(b.project, '.codex', 'agents'))).toEqual(['.orch-agents.json', ...ours]);
    expect(existsSync(b.codexHome)).toBe(false);
    expect(result.stdout).toContain('Codex reads .codex/agents only in a trusted project');
    mkdirSync(b.codexHome);
    writeFileSync(join(b.codexHome, 'config.toml'), `[projects.${JSON.stringify(b.project)}]\ntrust_level = "trusted"\n`);
    rmSync(join(b.project, '.codex'), { recursive: true });
    expect((await runMain(['install', '--project'], { env: b.env, cwd: b.project })).stdout).not.toContain('trusted project');
  });

  it('--project refuses a .codex or .codex/agents that is a link (a cloned repository can ship one): nothing written, nothing removed', async () => {
    const b = box();
    const elsewhere = join(b.base, 'elsewhere');
    mkdirSync(elsewhere);
    writeFileSync(join(elsewhere, 'orch-reviewer.toml'), 'precious = true\n');
    symlinkSync(elsewhere, join(b.project, '.codex'));
    for (const args of [['install', '--project'], ['uninstall', '--project']]) {
      const result = await runMain(args, { env: b.env, cwd: b.project });
      expect([result.code, result.stderr], args.join(' ')).toEqual([1, `orch-prompt: ${args[0]}: ${join(b.project, '.codex')} is a symbolic link; with --project orch-prompt writes only into the project's own .codex/ (its agents, and with --mcp its config.toml): replace the link with a folder, or install without --project\n`]);
    }
    expect(files(elsewhere)).toEqual(['orch-reviewer.toml']);
    expect(files(join(b.project, '.agents'))).toEqual([]);
    rmSync(join(b.project, '.codex'));
    mkdirSync(join(b.project, '.codex'));
    symlinkSync(elsewhere, join(b.project, '.codex', 'agents'));
    const agentsLink = await runMain(['install', '--project'], { env: b.env, cwd: b.project });
    expect([agentsLink.code, agentsLink.stderr]).toEqual([1, `orch-prompt: install: ${join(b.project, '.codex', 'agents')} is a symbolic link; with --project the agents are written only into the project's own .codex/agents/: replace the link with a folder, or install without --project\n`]);
    expect(files(elsewhere)).toEqual(['orch-reviewer.toml']);
  });

  it('no agents for --no-agents, other targets or a --dest folder; --dry-run writes none', async () => {
    const b = box();
    for (const args of [['install', '--no-agents'], ['install', '--target', 'agents'], ['install', '--dest', join(b.base, 'elsewhere')], ['install', '--dry-run']]) {
      const result = await runMain(args, { env: b.env, cwd: b.project });
      expect(result.code, args.join(' ')).toBe(0);
      expect(existsSync(join(b.codexHome, 'agents')), args.join(' ')).toBe(false);
    }
    const dry = await runMain(['install', '--dry-run', '--format', 'json'], { env: b.env, cwd: b.project });
    expect((JSON.parse(dry.stdout) as { agents: { written: string[]; dryRun: boolean } }).agents).toMatchObject({ written: ours, dryRun: true });
  });
});

it('a compiled agent Codex would skip is an error naming the role\'s file (install and build refuse it)', async () => {
  const { compileAgents } = await import('../../src/skill/agents/compile-agents.js');
  const { validateAgents } = await import('../../src/skill/agents/validate-agents.js');
  const agents = compileAgents(builtinTemplates(), '0.1.0');
  expect(validateAgents(agents)).toEqual({ errors: [], warnings: [] });
  const broken = agents.map((agent) => (agent.role === 'scout' ? { ...agent, content: `${agent.content}colour = "red"\n` } : agent));
  expect(validateAgents(broken).errors).toEqual([expect.stringMatching(/templates\/roles\/scout\.md: agent `orch-scout`: unknown field `colour`.*\(agent-unknown-field\)$/)]);
});

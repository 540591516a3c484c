import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { editEntry, findEntry } from '../../src/skill/mcp/config-edit.js';
import { mcpMarker } from '../../src/skill/mcp/entry.js';
import { runMain } from '../support/cli.js';
import { skillHomes } from '../support/skill-home.js';

// `install --mcp` registers the server in the user's config.toml without touching anything else
// in it; `uninstall` takes back exactly that entry; `doctor` checks it.

const { box } = skillHomes('orch-mcp-install-');
const entry = { command: '/usr/bin/node', args: ['/skills/codex-orchestration/scripts/orch-prompt.mjs', 'mcp'], env_vars: ['CODEX_HOME'], default_tools_approval_mode: 'approve' };
const userConfig = [
  '# my settings',
  'model = "gpt-5"   # the default',
  'model_provider = "corp"',
  '',
  '[model_providers.corp]',
  'name = "corp"',
  'base_url = "http://127.0.0.1:9/v1"',
  'env_key = "CORP_KEY"',
  '',
  '# tools I use',
  '[mcp_servers.docs]',
  'command = "docs-server"',
  '',
  '[profiles.fast]',
  'model = "small"',
  '',
].join('\n');

describe('editing config.toml in place', () => {
  it('adds the entry at the end, every other byte as it was; removing it gives the file back exactly', () => {
    const added = editEntry(userConfig, 'orch', entry, mcpMarker, 'config.toml');
    expect(added.startsWith(userConfig)).toBe(true);
    expect(added.slice(userConfig.length)).toBe(`\n# ${mcpMarker}\n[mcp_servers.orch]\ncommand = "/usr/bin/node"\nargs = [ "/skills/codex-orchestration/scripts/orch-prompt.mjs", "mcp" ]\nenv_vars = [ "CODEX_HOME" ]\ndefault_tools_approval_mode = "approve"\n`);
    expect((parseToml(added) as { mcp_servers: Record<string, unknown> }).mcp_servers['orch']).toEqual(entry);
    expect(editEntry(added, 'orch', undefined, mcpMarker, 'config.toml')).toBe(userConfig);
  });

  it('replaces an entry where it stands, its sub-tables and trailing comment too, and leaves what follows', () => {
    const before = `${userConfig.replace('[profiles.fast]', `# ${mcpMarker}\n[mcp_servers.orch]\ncommand = "old" # was here\nargs = ["/old/orch-prompt.mjs", "mcp"]\n\n[mcp_servers.orch.env]\nA = "1"\n\n[profiles.fast]`)}`;
    const after = editEntry(before, 'orch', entry, mcpMarker, 'config.toml');
    expect(after.indexOf('[mcp_servers.orch]')).toBeLessThan(after.indexOf('[profiles.fast]'));
    expect(after).not.toMatch(/old|\[mcp_servers\.orch\.env\]/);
    expect(after.split(`# ${mcpMarker}`)).toHaveLength(2);
    expect(after).toContain('default_tools_approval_mode = "approve"\n\n[profiles.fast]');
    expect(editEntry(after, 'orch', undefined, mcpMarker, 'config.toml')).toBe(userConfig);
  });

  it('writes into an empty file, and one that does not end in a newline', () => {
    expect(editEntry('', 'orch', entry, mcpMarker, 'c')).toMatch(new RegExp(`^# ${mcpMarker.replace(/[`$()]/g, '.')}\\n\\[mcp_servers\\.orch\\]\\n`));
    const added = editEntry('model = "x"', 'orch', entry, mcpMarker, 'c');
    expect(added).toMatch(/^model = "x"\n\n# codex-orchestration/);
    expect(parseToml(added)).toMatchObject({ model: 'x', mcp_servers: { orch: entry } });
  });

  it.each([
    ['an inline table', 'mcp_servers = { orch = { command = "x" } }\n', /written in a form this tool does not edit/],
    ['dotted keys', 'mcp_servers.orch.command = "x"\n', /written in a form this tool does not edit/],
    ['dotted keys in [mcp_servers]', '[mcp_servers]\norch.command = "x"\n', /written in a form this tool does not edit/],
    ['an inline mcp_servers the entry cannot join', 'mcp_servers = { docs = { command = "x" } }\n', /cannot be added without breaking the file/],
    ['a file that is not TOML', 'model = \n', /^c:2:1: not valid TOML \(/],
  ])('refuses %s, and says why', (_case, text, message) => {
    expect(() => editEntry(text, 'orch', entry, mcpMarker, 'c')).toThrow(message);
  });

  it('finds where the entry is, and whether it can be edited', () => {
    expect(findEntry(userConfig, 'orch', 'c')).toEqual({ value: undefined, tables: [], elsewhere: false });
    expect(findEntry('[mcp_servers.orch]\ncommand = "x"\n', 'orch', 'c')).toEqual({ value: { command: 'x' }, tables: [{ start: 0, end: 32 }], elsewhere: false });
  });
});

describe('install --mcp, uninstall, doctor', () => {
  const setUp = () => {
    const b = box();
    mkdirSync(b.codexHome, { recursive: true });
    writeFileSync(join(b.codexHome, 'config.toml'), userConfig);
    return b;
  };
  const config = (b: { codexHome: string }): string => readFileSync(join(b.codexHome, 'config.toml'), 'utf8');
  const serverOf = (text: string): Record<string, unknown> | undefined => (parseToml(text) as { mcp_servers?: Record<string, Record<string, unknown>> }).mcp_servers?.['orch'];

  it('registers the installed skill\'s script with node, forwards CODEX_HOME and the provider\'s key, approves calls; again: unchanged', async () => {
    const b = setUp();
    const result = await runMain(['install', '--mcp'], { env: b.env, cwd: b.project });
    expect(result.code, result.stderr).toBe(0);
    const file = join(b.codexHome, 'config.toml');
    expect(result.stdout).toContain(`registered the MCP server \`orch\` in ${file}: Codex starts it in each new session, outside the sandbox, and offers its tools as mcp__orch`);
    const text = config(b);
    expect(text.startsWith(userConfig)).toBe(true);
    const server = serverOf(text);
    expect(server).toMatchObject({ command: process.execPath, args: [join(b.dir, 'scripts', 'orch-prompt.mjs'), 'mcp'], default_tools_approval_mode: 'approve', required: true, tool_timeout_sec: 180 });
    expect(server?.['env_vars']).toEqual(expect.arrayContaining(['CODEX_HOME', 'CORP_KEY', 'XDG_STATE_HOME', 'HTTPS_PROXY']));
    expect(existsSync(String((server?.['args'] as string[])[0]))).toBe(true);
    const again = await runMain(['install', '--mcp'], { env: b.env, cwd: b.project });
    expect(again.stdout).toContain(`the MCP server \`orch\` is already registered in ${file}`);
    expect(config(b)).toBe(text);
    const doctor = JSON.parse((await runMain(['doctor', '--format', 'json'], { env: b.env, cwd: b.project })).stdout) as { checks: Array<{ id: string; ok: boolean; message: string }> };
    expect(doctor.checks.filter((c) => c.id === 'mcp')).toEqual([{ id: 'mcp', ok: true, message: `the MCP server \`orch\` is registered in ${file} (${join(b.dir, 'scripts', 'orch-prompt.mjs')}); Codex offers its tools as mcp__orch` }]);
    // A plain uninstall takes the entry back with the skill it runs: it would only fail in every session.
    const removed = await runMain(['uninstall'], { env: b.env, cwd: b.project });
    expect(removed.stdout).toContain(`removed the MCP server \`orch\` from ${file}`);
    expect(config(b)).toBe(userConfig);
  });

  it('never takes over an entry of that name it did not write (unless --force), and changes nothing at all then', async () => {
    const b = setUp();
    const foreign = `${userConfig}\n[mcp_servers.orch]\ncommand = "their-server"\n`;
    writeFileSync(join(b.codexHome, 'config.toml'), foreign);
    const refused = await runMain(['install', '--mcp'], { env: b.env, cwd: b.project });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`orch-prompt: install: ${join(b.codexHome, 'config.toml')}: mcp_servers.orch is not an entry orch-prompt wrote; rename or remove it, or --force replaces it\n`);
    expect(existsSync(b.dir)).toBe(false);
    expect(config(b)).toBe(foreign);
    const kept = await runMain(['uninstall', '--mcp'], { env: b.env, cwd: b.project });
    expect(kept.stdout).toContain(`left mcp_servers.orch in ${join(b.codexHome, 'config.toml')}: orch-prompt did not write it`);
    expect(config(b)).toBe(foreign);
    expect((await runMain(['install', '--mcp', '--force'], { env: b.env, cwd: b.project })).code).toBe(0);
    expect(serverOf(config(b))?.['command']).toBe(process.execPath);
  });

  it('--dry-run changes nothing; --project writes .codex/config.toml; --target openclaw is refused', async () => {
    const b = setUp();
    const dry = await runMain(['install', '--mcp', '--dry-run'], { env: b.env, cwd: b.project });
    expect(dry.stdout).toContain('would register the MCP server `orch`');
    expect(config(b)).toBe(userConfig);
    const project = await runMain(['install', '--mcp', '--project'], { env: b.env, cwd: b.project });
    expect(project.code, project.stderr).toBe(0);
    expect(serverOf(readFileSync(join(b.project, '.codex', 'config.toml'), 'utf8'))?.['args']).toEqual([join(b.project, '.agents', 'skills', 'codex-orchestration', 'scripts', 'orch-prompt.mjs'), 'mcp']);
    expect(project.stdout).toContain('Codex reads .codex/config.toml only in a trusted project');
    expect(config(b)).toBe(userConfig);
    const openclaw = await runMain(['install', '--mcp', '--target', 'openclaw'], { env: b.env, cwd: b.project });
    expect([openclaw.code, openclaw.stderr]).toEqual([2, 'orch-prompt: install: --mcp registers the server with Codex; use --target codex or --target agents\n']);
  });

  it('installing again keeps what the user added to the entry (keys, a sub-table, variables), and sets again what it owns', async () => {
    const b = setUp();
    expect((await runMain(['install', '--mcp'], { env: b.env, cwd: b.project })).code).toBe(0);
    const file = join(b.codexHome, 'config.toml');
    const edited = config(b).replace('env_vars = [ "CODEX_HOME"', 'env_vars = [ "MY_VAR", "CODEX_HOME"').replace('tool_timeout_sec = 180', 'tool_timeout_sec = 5\nstartup_timeout_sec = 30\n\n[mcp_servers.orch.env]\nMY_FLAG = "on"');
    writeFileSync(file, edited);
    const again = await runMain(['install', '--mcp'], { env: b.env, cwd: b.project });
    expect(again.stdout).toContain('updated the MCP server `orch`');
    const server = serverOf(config(b));
    expect(server).toMatchObject({ tool_timeout_sec: 180, startup_timeout_sec: 30, env: { MY_FLAG: 'on' } });
    expect((server?.['env_vars'] as string[]).at(-1)).toBe('MY_VAR');
    expect(config(b).startsWith(userConfig)).toBe(true);
    expect((await runMain(['install', '--mcp'], { env: b.env, cwd: b.project })).stdout).toContain('is already registered');
  });

  it('reads config.toml as Codex 0.169 does, TOML 1.1: an inline table over several lines, a trailing comma', async () => {
    const b = setUp();
    const file = join(b.codexHome, 'config.toml');
    const text = `${userConfig}\n[mcp_servers.more]\ncommand = "more"\nenv = {\n  A = "1",\n  B = "\\e[1m",\n}\n`;
    writeFileSync(file, text);
    const result = await runMain(['install', '--mcp'], { env: b.env, cwd: b.project });
    expect(result.code, result.stderr).toBe(0);
    expect(config(b).startsWith(text)).toBe(true);
    expect((parseToml(config(b)) as { mcp_servers: Record<string, unknown> }).mcp_servers['more']).toEqual({ command: 'more', env: { A: '1', B: '\u001b[1m' } });
  });

  it('--project refuses a .codex or .codex/config.toml that is a link (a cloned repository can ship one), and writes nothing at all', async () => {
    const b = setUp();
    mkdirSync(b.project, { recursive: true });
    symlinkSync(b.codexHome, join(b.project, '.codex'));
    const refused = await runMain(['install', '--mcp', '--project'], { env: b.env, cwd: b.project });
    expect([refused.code, refused.stderr]).toEqual([1, `orch-prompt: install: ${join(b.project, '.codex')} is a symbolic link; with --project orch-prompt writes only into the project's own .codex/ (its agents, and with --mcp its config.toml): replace the link with a folder, or install without --project\n`]);
    // Without the agents, the MCP step refuses it alike.
    const mcpOnly = await runMain(['install', '--mcp', '--project', '--no-agents'], { env: b.env, cwd: b.project });
    expect([mcpOnly.code, mcpOnly.stderr]).toEqual([1, `orch-prompt: install: ${join(b.project, '.codex')} is a symbolic link; with --project the entry is written only into the project's own .codex/config.toml: replace the link with a folder and file, or register without --project\n`]);
    expect(config(b)).toBe(userConfig);
    expect(existsSync(join(b.project, '.agents'))).toBe(false);
    rmSync(join(b.project, '.codex'));
    mkdirSync(join(b.project, '.codex'));
    symlinkSync(join(b.codexHome, 'config.toml'), join(b.project, '.codex', 'config.toml'));
    const file = await runMain(['install', '--mcp', '--project'], { env: b.env, cwd: b.project });
    expect([file.code, file.stderr]).toEqual([1, `orch-prompt: install: ${join(b.project, '.codex', 'config.toml')} is a symbolic link; with --project the entry is written only into the project's own .codex/config.toml: replace the link with a folder and file, or register without --project\n`]);
    expect(config(b)).toBe(userConfig);
  });

  it('edits a config.toml kept behind a link through it, keeping the link and the file\'s mode', async () => {
    const b = setUp();
    const real = join(b.base, 'dotfiles-config.toml');
    writeFileSync(real, userConfig);
    chmodSync(real, 0o640);
    const link = join(b.codexHome, 'config.toml');
    writeFileSync(link, '');
    symlinkSync(real, `${link}.new`);
    // rename over the plain file: the config is now a link
    await import('node:fs').then((fs) => fs.renameSync(`${link}.new`, link));
    expect((await runMain(['install', '--mcp'], { env: b.env, cwd: b.project })).code).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(statSync(real).mode & 0o777).toBe(0o640);
    expect(serverOf(readFileSync(real, 'utf8'))).toBeDefined();
  });

  it('doctor: nothing registered is fine; a broken entry is a problem with the fix', async () => {
    const b = setUp();
    const check = async () => (JSON.parse((await runMain(['doctor', '--format', 'json'], { env: b.env, cwd: b.project })).stdout) as { checks: Array<{ id: string; ok: boolean; message: string; fix?: string }> }).checks.filter((c) => c.id === 'mcp');
    expect(await check()).toEqual([expect.objectContaining({ ok: true, message: expect.stringMatching(/not registered \(optional\)/) })]);
    const file = join(b.codexHome, 'config.toml');
    const script = join(b.base, 'orch-prompt.mjs');
    writeFileSync(file, `${userConfig}\n[mcp_servers.orch]\ncommand = "${process.execPath}"\nargs = ["${script}", "mcp"]\nenv_vars = ["CODEX_HOME"]\n`);
    expect(await check()).toEqual([{ id: 'mcp', ok: false, message: `${file}: mcp_servers.orch runs ${script}, which is not there (the skill was moved or removed)`, fix: 'orch-prompt install --mcp' }]);
    writeFileSync(script, '');
    expect((await check())[0]?.message).toMatch(/does not set default_tools_approval_mode = "approve": under `codex exec`/);
    writeFileSync(file, readFileSync(file, 'utf8').replace('env_vars', 'default_tools_approval_mode = "approve"\nenv_vars'));
    expect((await check())[0]?.message).toMatch(/does not forward CORP_KEY \(env_vars\)/);
  });
});

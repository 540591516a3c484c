import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { agentsDir, skillsDir } from '../../src/skill/install-targets.js';
import { codexHome } from '../../src/run/local/codex-home.js';
import { describe, expect, it } from 'vitest';
import { runMain } from '../support/cli.js';
import { expectSameBytes } from '../support/files.js';
import { skillHomes } from '../support/skill-home.js';

const root = join(import.meta.dirname, '..', '..');
const { box } = skillHomes('orch-skill-install-');

function snapshot(dir: string): Record<string, string> {
  if (!existsSync(dir)) return {};
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out[join(e.parentPath, e.name).slice(dir.length)] = readFileSync(join(e.parentPath, e.name), 'utf8');
  }
  return out;
}

describe('orch-prompt install', () => {
  it('--dry-run prints the plan (where, which files) and writes nothing', async () => {
    const b = box();
    const result = await runMain(['install', '--dry-run'], { env: b.env, cwd: b.project });
    expect(result.code).toBe(0);
    const dir = join(b.codexHome, 'skills', 'codex-orchestration');
    expect(result.stdout.split('\n').slice(0, 3)).toEqual([`would install codex-orchestration 0.1.0 into ${dir} (target codex)`, '  SKILL.md', '  agents/openai.yaml']);
    expect(result.stdout).toContain('  scripts/orch-prompt.mjs\n');
    expect(existsSync(b.codexHome)).toBe(false);
  });

  it('installs into $CODEX_HOME/skills, with the root SKILL.md, and is idempotent', async () => {
    const b = box();
    const first = await runMain(['install'], { env: b.env, cwd: b.project });
    expect(first.code).toBe(0);
    const dir = join(b.codexHome, 'skills', 'codex-orchestration');
    const agents = `${join(b.codexHome, 'agents')}: orch-implementer, orch-researcher, orch-reviewer, orch-scout, orch-synthesizer, orch-verifier`;
    expect(first.stdout).toBe(`installed codex-orchestration 0.1.0 into ${dir} (target codex)\nwrote 6 custom agents into ${agents}\nCodex lists it in new sessions; invoke it with $codex-orchestration.\n`);
    expectSameBytes(readFileSync(join(dir, 'SKILL.md')), readFileSync(join(root, 'SKILL.md')));
    const before = snapshot(dir);
    const second = await runMain(['install'], { env: b.env, cwd: b.project });
    expect(second.code).toBe(0);
    expect(second.stdout).toBe(`codex-orchestration 0.1.0 is already installed and up to date in ${dir} (target codex)\ncustom agents already up to date in ${agents}\n`);
    expect(snapshot(dir)).toEqual(before);
    // Only the skill, nothing half-written beside it.
    expect(readdirSync(join(b.codexHome, 'skills'))).toEqual(['codex-orchestration']);
  });

  it('uses ~/.codex when CODEX_HOME is not set', async () => {
    const b = box();
    const result = await runMain(['install', '--dry-run'], { env: { HOME: b.home }, cwd: b.project });
    expect(result.stdout).toContain(`into ${join(b.home, '.codex', 'skills', 'codex-orchestration')} (target codex)`);
  });

  it('a blank or relative HOME is not the current folder: the skills and agents go to the account\'s home', () => {
    const account = userInfo().homedir;
    for (const HOME of ['', ' ', 'home']) {
      const options = { target: 'codex' as const, cwd: '/project', env: { HOME } };
      expect([skillsDir(options), agentsDir(options)], JSON.stringify(HOME)).toEqual([join(account, '.codex', 'skills'), join(account, '.codex', 'agents')]);
      expect(skillsDir({ ...options, target: 'agents' })).toBe(join(account, '.agents', 'skills'));
      expect(codexHome({ HOME })).toBe(join(account, '.codex'));
    }
  });

  it.each([
    [['--target', 'agents'], (b: ReturnType<typeof box>) => join(b.home, '.agents', 'skills')],
    [['--target', 'agents', '--project'], (b: ReturnType<typeof box>) => join(b.project, '.agents', 'skills')],
    [['--target', 'openclaw'], (b: ReturnType<typeof box>) => join(b.home, '.openclaw', 'workspace', 'skills')],
    [['--target', 'openclaw', '--project'], (b: ReturnType<typeof box>) => join(b.project, 'skills')],
    [['--dest', 'custom'], (b: ReturnType<typeof box>) => join(b.project, 'custom')],
  ])('%j installs where the target reads skills', async (flags, where) => {
    const b = box();
    const result = await runMain(['install', ...flags], { env: b.env, cwd: b.project });
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(join(where(b), 'codex-orchestration', 'SKILL.md'))).toBe(true);
  });

  it.each([
    [[], 'Codex lists it in new sessions; invoke it with $codex-orchestration.'],
    [['--target', 'agents'], 'Codex (and other agents that read ~/.agents/skills) list it in new sessions; in Codex, invoke it with $codex-orchestration.'],
    [['--target', 'agents', '--project'], 'Codex lists it in new sessions started in this project; invoke it with $codex-orchestration.'],
    [['--target', 'openclaw'], 'OpenClaw reads it from this workspace in new sessions. Codex does not read this folder: for Codex, use --target codex or --target agents.'],
    [['--dest', 'custom'], 'Installed into a folder you chose: only agents that read skills from it will list it.'],
  ])('%j says who lists the skill, truthfully for that target', async (flags, said) => {
    const b = box();
    const result = await runMain(['install', ...flags], { env: b.env, cwd: b.project });
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe(said);
  });

  it('warns when the skills folder sits inside a plugin (Codex would list the skill as plugin:name)', async () => {
    const b = box();
    const plugin = join(b.project, 'acme-plugin');
    mkdirSync(join(plugin, '.codex-plugin'), { recursive: true });
    writeFileSync(join(plugin, '.codex-plugin', 'plugin.json'), '{"name": "acme"}\n');
    const result = await runMain(['install', '--dest', join(plugin, 'skills')], { env: b.env, cwd: b.project });
    expect(result.code).toBe(0);
    expect(existsSync(join(plugin, 'skills', 'codex-orchestration', 'SKILL.md'))).toBe(true);
    expect(result.stderr).toBe(`orch-prompt: warning: ${join(plugin, '.codex-plugin', 'plugin.json')} makes Codex list the skill as \`acme:codex-orchestration\`: invoke it as $acme:codex-orchestration, or install it outside the plugin\n`);
    const json = await runMain(['install', '--dest', join(plugin, 'skills'), '--format', 'json'], { env: b.env, cwd: b.project });
    expect(JSON.parse(json.stdout)).toMatchObject({ action: 'unchanged', plugin: { path: join(plugin, '.codex-plugin', 'plugin.json'), name: 'acme' } });
    // Outside a plugin: no warning.
    expect((await runMain(['install', '--dest', join(b.project, 'plain')], { env: b.env, cwd: b.project })).stderr).toBe('');
  });

  it('--target openclaw uses $OPENCLAW_WORKSPACE when set', async () => {
    const b = box();
    const workspace = join(b.home, 'my-workspace');
    const result = await runMain(['install', '--target', 'openclaw', '--dry-run'], { env: { ...b.env, OPENCLAW_WORKSPACE: workspace }, cwd: b.project });
    expect(result.stdout.split('\n')[0]).toBe(`would install codex-orchestration 0.1.0 into ${join(workspace, 'skills', 'codex-orchestration')} (target openclaw)`);
  });

  it('--project with --target codex puts the skill where Codex reads a project\'s skills, .agents/skills', async () => {
    const b = box();
    const result = await runMain(['install', '--project', '--dry-run'], { env: b.env, cwd: b.project });
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe(`would install codex-orchestration 0.1.0 into ${join(b.project, '.agents', 'skills', 'codex-orchestration')} (target codex, project)`);
  });

  it('refuses to overwrite a skill the user edited (exit 1, nothing changed), replaces it with --force and keeps a backup', async () => {
    const b = box();
    expect((await runMain(['install'], { env: b.env, cwd: b.project })).code).toBe(0);
    const dir = join(b.codexHome, 'skills', 'codex-orchestration');
    writeFileSync(join(dir, 'references', 'patterns.md'), 'my notes\n');
    const edited = snapshot(dir);
    const refused = await runMain(['install'], { env: b.env, cwd: b.project });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `orch-prompt: install: ${dir} exists and its files were changed since it was installed (references/patterns.md); nothing was changed. Pass --force to replace it (a backup is kept)\n`,
    );
    expect(snapshot(dir)).toEqual(edited);
    const forced = await runMain(['install', '--force'], { env: b.env, cwd: b.project });
    expect(forced.code).toBe(0);
    const backups = join(b.codexHome, '.orch-skill-backups');
    const [backup] = readdirSync(backups);
    expect(forced.stdout).toContain(`kept the previous folder at ${join(backups, backup as string)}`);
    expect(readFileSync(join(backups, backup as string, 'references', 'patterns.md'), 'utf8')).toBe('my notes\n');
    expect(readFileSync(join(dir, 'references', 'patterns.md'), 'utf8')).not.toBe('my notes\n');
    // The backup lives outside the skills folder, so Codex never sees two skills of one name.
    expect(readdirSync(join(b.codexHome, 'skills'))).toEqual(['codex-orchestration']);
  });

  it('refuses a folder of the same name it did not install', async () => {
    const b = box();
    const dir = join(b.codexHome, 'skills', 'codex-orchestration');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'SKILL.md'), '---\nname: codex-orchestration\ndescription: mine\n---\n');
    const result = await runMain(['install'], { env: b.env, cwd: b.project });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('exists and it was not installed by orch-prompt; nothing was changed');
    expect(readFileSync(join(dir, 'SKILL.md'), 'utf8')).toContain('description: mine');
  });

  it('updates an unedited older install without --force', async () => {
    const b = box();
    expect((await runMain(['install'], { env: b.env, cwd: b.project })).code).toBe(0);
    const dir = join(b.codexHome, 'skills', 'codex-orchestration');
    // Simulate an older release: a file it shipped differs, and its manifest agrees.
    const manifestPath = join(dir, '.orch-install.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { version: string; files: Record<string, string> };
    writeFileSync(join(dir, 'references', 'old.md'), 'old\n');
    manifest.files['references/old.md'] = (await import('node:crypto')).createHash('sha256').update('old\n').digest('hex');
    manifest.version = '0.0.1';
    writeFileSync(manifestPath, JSON.stringify(manifest));
    const result = await runMain(['install'], { env: b.env, cwd: b.project });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`updated codex-orchestration 0.1.0 into ${dir}`);
    expect(existsSync(join(dir, 'references', 'old.md'))).toBe(false);
  });
});

describe('orch-prompt uninstall', () => {
  it('removes an unedited install, and says so when there is nothing to remove', async () => {
    const b = box();
    expect((await runMain(['install', '--target', 'agents'], { env: b.env, cwd: b.project })).code).toBe(0);
    const dir = join(b.home, '.agents', 'skills', 'codex-orchestration');
    const dry = await runMain(['uninstall', '--target', 'agents', '--dry-run'], { env: b.env, cwd: b.project });
    expect(dry.stdout).toBe(`would remove ${dir} (target agents)\n`);
    expect(existsSync(dir)).toBe(true);
    const removed = await runMain(['uninstall', '--target', 'agents'], { env: b.env, cwd: b.project });
    expect(removed.stdout).toBe(`removed ${dir} (target agents)\n`);
    expect(existsSync(dir)).toBe(false);
    const again = await runMain(['uninstall', '--target', 'agents'], { env: b.env, cwd: b.project });
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(`nothing to remove: ${dir} does not exist (target agents)\n`);
  });

  it('refuses an edited install unless --force, which keeps a backup', async () => {
    const b = box();
    expect((await runMain(['install'], { env: b.env, cwd: b.project })).code).toBe(0);
    const dir = join(b.codexHome, 'skills', 'codex-orchestration');
    writeFileSync(join(dir, 'notes.md'), 'mine\n');
    const refused = await runMain(['uninstall'], { env: b.env, cwd: b.project });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('its files were changed since it was installed (notes.md); nothing was changed. Pass --force to remove it');
    expect(existsSync(join(dir, 'notes.md'))).toBe(true);
    expect((await runMain(['uninstall', '--force'], { env: b.env, cwd: b.project })).code).toBe(0);
    expect(existsSync(dir)).toBe(false);
    const [backup] = readdirSync(join(b.codexHome, '.orch-skill-backups'));
    expect(readFileSync(join(b.codexHome, '.orch-skill-backups', backup as string, 'notes.md'), 'utf8')).toBe('mine\n');
  });

  it('--format json reports the action for machines', async () => {
    const b = box();
    const result = await runMain(['install', '--format', 'json', '--dry-run'], { env: b.env, cwd: b.project });
    const data = JSON.parse(result.stdout) as { action: string; dir: string; dryRun: boolean; target: string };
    expect(data).toMatchObject({ action: 'install', dryRun: true, target: 'codex', dir: join(b.codexHome, 'skills', 'codex-orchestration') });
  });
});

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { runMain } from '../support/cli.js';
import { type SkillHome, skillHomes } from '../support/skill-home.js';

// How install replaces a skill folder: what counts as an edit, links into dotfiles, and what a
// crash between two steps of the swap leaves (a real SIGKILL of a real process at each step).

const root = join(import.meta.dirname, '..', '..');
const { scratch, box } = skillHomes('orch-skill-swap-');
type Box = SkillHome;

// The skill folder alone: the custom agents (test/skill/agents-install.test.ts) are written
// file by file beside the user's own, not swapped as a folder.
async function install(b: Box, ...flags: string[]) {
  return runMain(['install', '--no-agents', ...flags], { env: b.env, cwd: b.project });
}

/** Turn an install into an unedited install of an older release (a file it shipped, recorded in its manifest). */
function makeOutdated(dir: string): void {
  const path = join(dir, '.orch-install.json');
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as { version: string; files: Record<string, string> };
  writeFileSync(join(dir, 'references', 'old.md'), 'old\n');
  manifest.files['references/old.md'] = createHash('sha256').update('old\n').digest('hex');
  manifest.version = '0.0.1';
  writeFileSync(path, JSON.stringify(manifest));
}

/** Everything in a folder, links and empty folders included, as `path` -> `file: text` / `link: target` / `folder`. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const path = join(e.parentPath, e.name);
    const key = path.slice(dir.length + 1);
    if (e.isSymbolicLink()) out[key] = `link: ${readlinkSync(path)}`;
    else if (e.isDirectory()) out[key] = 'folder';
    else out[key] = `file: ${readFileSync(path, 'utf8').slice(0, 40)}`;
  }
  return out;
}

/** Hidden folders a swap uses, left beside the skill. */
function hidden(skills: string): string[] {
  return existsSync(skills) ? readdirSync(skills).filter((name) => name.startsWith('.')) : [];
}

const childScript = join(scratch, 'install-and-die.mjs');
writeFileSync(
  childScript,
  `import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
const [root, killAt, force] = process.argv.slice(2);
const load = (file) => import(pathToFileURL(join(root, 'dist/lib/skill', file)).href);
const { installSkill } = await load('install.js');
const { builtSkill } = await load('build.js');
installSkill(builtSkill(), {
  target: 'codex', cwd: process.cwd(), env: process.env, version: '0.1.0', force: force === 'force',
  // A crash right after this step: no handler, no cleanup runs.
  onStep: (step) => { if (step === killAt) process.kill(process.pid, 'SIGKILL'); },
});
`,
);

/** Install in a child process killed with SIGKILL right after `step`. */
function installKilledAfter(b: Box, step: string, force = false): void {
  const result = spawnSync(process.execPath, [childScript, root, step, force ? 'force' : ''], { cwd: b.project, env: { ...process.env, ...b.env }, encoding: 'utf8' });
  expect([result.signal, result.stderr]).toEqual(['SIGKILL', '']);
}

describe('what counts as an edit', () => {
  it('a file, a symbolic link and an empty folder added to an install are edits: refused, then kept in the backup by --force', async () => {
    const b = box();
    expect((await install(b)).code).toBe(0);
    writeFileSync(join(b.dir, 'notes.md'), 'mine\n');
    symlinkSync('../SKILL.md', join(b.dir, 'references', 'link.md'));
    mkdirSync(join(b.dir, 'drafts'));
    const edited = tree(b.dir);
    const refused = await install(b);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`exists and its files were changed since it was installed (drafts/, notes.md, references/link.md); nothing was changed.`);
    expect(tree(b.dir)).toEqual(edited);
    const forced = await install(b, '--force');
    expect(forced.code, forced.stderr).toBe(0);
    const [backup] = readdirSync(b.backups);
    expect(forced.stdout).toContain(`kept the previous folder at ${join(b.backups, backup as string)}\n`);
    expect(tree(join(b.backups, backup as string))).toEqual(edited);
    expect(existsSync(join(b.dir, 'drafts'))).toBe(false);
    expect(hidden(b.skills)).toEqual([]);
  });

  it('an update of an older install does not silently drop an empty folder the user added', async () => {
    const b = box();
    expect((await install(b)).code).toBe(0);
    makeOutdated(b.dir);
    mkdirSync(join(b.dir, 'my-empty'));
    const result = await install(b);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('(my-empty/)');
    expect(existsSync(join(b.dir, 'my-empty'))).toBe(true);
  });
});

// Another device for the skills folder than for its backups: a tmpfs, where the machine has one.
const otherDevice = ((): string | undefined => {
  try {
    return statSync('/dev/shm').isDirectory() && statSync('/dev/shm').dev !== statSync(scratch).dev ? '/dev/shm' : undefined;
  } catch {
    return undefined;
  }
})();

describe('backups on another device', () => {
  it.runIf(otherDevice)('--force moves the edited copy to the backups even across devices (copied, links kept), leaving no hidden folder', async () => {
    const b = box();
    const elsewhere = mkdtempSync(join(otherDevice as string, 'orch-skill-swap-'));
    onTestFinished(() => rmSync(elsewhere, { recursive: true, force: true }));
    mkdirSync(b.codexHome, { recursive: true });
    symlinkSync(elsewhere, b.skills);
    expect((await install(b)).code).toBe(0);
    writeFileSync(join(b.dir, 'notes.md'), 'mine\n');
    symlinkSync('notes.md', join(b.dir, 'notes-link.md'));
    const edited = tree(b.dir);
    const forced = await install(b, '--force');
    expect([forced.code, forced.stderr]).toEqual([0, '']);
    const [backup] = readdirSync(b.backups);
    expect(tree(join(b.backups, backup as string))).toEqual(edited);
    expect(readdirSync(elsewhere)).toEqual(['codex-orchestration']);
  });
});

describe('a skill kept in dotfiles, linked into the skills folder', () => {
  it('is updated through the link (the link stays), and uninstall removes only the link', async () => {
    const b = box();
    const dotfiles = join(b.home, 'dotfiles', 'skills');
    expect((await install(b, '--dest', dotfiles)).code).toBe(0);
    mkdirSync(b.skills, { recursive: true });
    symlinkSync(join(dotfiles, 'codex-orchestration'), b.dir);
    makeOutdated(join(dotfiles, 'codex-orchestration'));
    const result = await install(b);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe(`updated codex-orchestration 0.1.0 into ${b.dir} (a link to ${join(dotfiles, 'codex-orchestration')}) (target codex)`);
    expect(lstatSync(b.dir).isSymbolicLink()).toBe(true);
    expect(existsSync(join(dotfiles, 'codex-orchestration', 'references', 'old.md'))).toBe(false);
    expect(readdirSync(dotfiles)).toEqual(['codex-orchestration']);
    expect((await install(b)).stdout).toContain('is already installed and up to date in');
    const removed = await runMain(['uninstall', '--no-agents'], { env: b.env, cwd: b.project });
    expect(removed.stdout).toBe(`removed the link ${b.dir} (target codex); the folder it points to, ${join(dotfiles, 'codex-orchestration')}, stays\n`);
    expect(existsSync(b.dir)).toBe(false);
    expect(existsSync(join(dotfiles, 'codex-orchestration', 'SKILL.md'))).toBe(true);
  });
});

describe('a crash between two steps of the swap', { timeout: 60_000 }, () => {
  it('after the new folder is written: the old install is untouched; the next install removes the leftover', async () => {
    const b = box();
    expect((await install(b)).code).toBe(0);
    makeOutdated(b.dir);
    const before = tree(b.dir);
    installKilledAfter(b, 'written');
    expect(tree(b.dir)).toEqual(before);
    const [leftover] = hidden(b.skills);
    expect(leftover).toMatch(/^\.codex-orchestration\.new-\d+-\d+$/);
    const doctor = await runMain(['doctor'], { env: b.env, cwd: b.project });
    expect(doctor.stdout).toContain(`problem  an interrupted install left ${join(b.skills, leftover as string)} beside ${b.dir}\n         fix: orch-prompt install`);
    const next = await install(b);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stdout).toContain(`updated codex-orchestration 0.1.0 into ${b.dir} (target codex)\nremoved ${join(b.skills, leftover as string)}, left by an interrupted run\n`);
    expect(hidden(b.skills)).toEqual([]);
  });

  it('between the two renames (the one window without a skill): the next install puts the old folder back, then updates it', async () => {
    const b = box();
    expect((await install(b)).code).toBe(0);
    makeOutdated(b.dir);
    installKilledAfter(b, 'moved-aside');
    expect(existsSync(b.dir)).toBe(false);
    const doctor = await runMain(['doctor'], { env: b.env, cwd: b.project });
    expect(doctor.stdout).toMatch(new RegExp(`problem  ${b.dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is missing: an install was interrupted mid-swap; the previous folder waits at .*\\.codex-orchestration\\.old-\\d+-\\d+\n`));
    const next = await install(b);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stdout).toMatch(/^updated codex-orchestration 0\.1\.0 into .* \(target codex\)\nput back the previous folder from .*\.codex-orchestration\.old-\d+-\d+ \(an earlier run was interrupted mid-swap\)\nremoved .*\.codex-orchestration\.new-\d+-\d+, left by an interrupted run\n/);
    expect((await install(b)).stdout).toContain('is already installed and up to date');
    expect(hidden(b.skills)).toEqual([]);
  });

  it('with --force over edits, killed between the renames: the edits come back in place, never lost', async () => {
    const b = box();
    expect((await install(b)).code).toBe(0);
    writeFileSync(join(b.dir, 'notes.md'), 'mine\n');
    installKilledAfter(b, 'moved-aside', true);
    expect(existsSync(b.dir)).toBe(false);
    // A dry run judges the folder that would be put back, and puts nothing back.
    const dry = await install(b, '--dry-run');
    expect([dry.code, dry.stderr]).toEqual([1, `orch-prompt: install: ${b.dir} exists and its files were changed since it was installed (notes.md); nothing was changed. Pass --force to replace it (a backup is kept)\n`]);
    expect(existsSync(b.dir)).toBe(false);
    // Without --force the edited folder is put back and refused as before.
    const next = await install(b);
    expect(next.code).toBe(1);
    expect(next.stderr).toContain('(notes.md); nothing was changed (an interrupted earlier run was undone first: the folder is back in place)');
    expect(readFileSync(join(b.dir, 'notes.md'), 'utf8')).toBe('mine\n');
    const forced = await install(b, '--force');
    expect(forced.code, forced.stderr).toBe(0);
    const [backup] = readdirSync(b.backups);
    expect(readFileSync(join(b.backups, backup as string, 'notes.md'), 'utf8')).toBe('mine\n');
    expect(hidden(b.skills)).toEqual([]);
  });

  it('with --force, killed before the edited copy reached the backups: the next install moves it there (no hidden .old folder)', async () => {
    const b = box();
    expect((await install(b)).code).toBe(0);
    writeFileSync(join(b.dir, 'notes.md'), 'mine\n');
    installKilledAfter(b, 'moved-in', true);
    const [aside] = hidden(b.skills);
    expect(aside).toMatch(/^\.codex-orchestration\.old-\d+-\d+$/);
    const next = await install(b);
    expect(next.code, next.stderr).toBe(0);
    const [backup] = readdirSync(b.backups);
    expect(next.stdout).toBe(
      [
        `codex-orchestration 0.1.0 is already installed and up to date in ${b.dir} (target codex)`,
        `kept ${join(b.skills, aside as string)}, left by an interrupted run with changes in it, at ${join(b.backups, backup as string)}`,
        '',
      ].join('\n'),
    );
    expect(readFileSync(join(b.backups, backup as string, 'notes.md'), 'utf8')).toBe('mine\n');
    expect(hidden(b.skills)).toEqual([]);
  });

  it('leaves alone the folders of an install that is still running', async () => {
    const b = box();
    expect((await install(b)).code).toBe(0);
    const other = spawn('sleep', ['30']);
    onTestFinished(() => void other.kill());
    const busy = join(b.skills, `.codex-orchestration.new-${other.pid}-1`);
    mkdirSync(busy);
    const next = await install(b);
    expect(next.stdout).toContain(`left ${busy} alone: the orch-prompt that made it is still running\n`);
    expect(existsSync(busy)).toBe(true);
  });
});

import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseDocument } from '../markdown/parse.js';
import { clawhubCheck } from './clawhub.js';
import { findOnPath } from './find-on-path.js';
import { installState } from './install-state.js';
import type { SkillFolder } from './skill-files.js';
import { skillName } from './skill-name.js';
import { codexHome, homeDir, skillsDir, type InstallTarget } from './targets.js';

/** One thing `doctor` looked at. */
export interface DoctorCheck {
  id: 'node' | 'codex' | 'codex-home' | 'skill' | 'duplicates' | 'clawhub';
  ok: boolean;
  /** What was found. */
  message: string;
  /** How to fix it, when not ok. */
  fix?: string;
}

/** What doctor needs from its surroundings (tests pass their own). */
export interface DoctorOptions {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** The skill as it would be installed now; without it the install is not compared. */
  folder: SkillFolder | undefined;
  /** Node's version (default: this process's). */
  nodeVersion?: string;
}

/** Oldest Node major version the package supports. */
export const minNodeMajor = 20;

function codexVersion(path: string, env: DoctorOptions['env']): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(path, ['--version'], { env: { ...env } as NodeJS.ProcessEnv, timeout: 15_000 }, (error, stdout) => {
      resolve(error ? undefined : (/\d+\.\d+\.\d+\S*/.exec(stdout)?.[0] ?? stdout.trim()));
    });
  });
}

/** The folders Codex reads skills from, for `cwd`: user, `~/.agents`, and `.agents/skills` up to the repository root. */
export function codexSkillRoots(cwd: string, env: DoctorOptions['env']): string[] {
  const roots = [join(codexHome(env), 'skills'), join(homeDir(env), '.agents', 'skills')];
  let dir = cwd;
  for (;;) {
    roots.push(join(dir, '.agents', 'skills'));
    if (existsSync(join(dir, '.git'))) break;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return [...new Set(roots)];
}

/** Every `SKILL.md` below a skills folder (Codex looks a few levels deep; hidden folders skipped). */
function skillFiles(root: string, depth = 3): string[] {
  if (depth === 0 || !existsSync(root)) return [];
  const out: string[] = [];
  let entries;
  try {
    entries = readdirSync(root, { withFileTypes: true });
  } catch {
    return [];
  }
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    if (entry.isFile() && entry.name === 'SKILL.md') out.push(join(root, entry.name));
    if (entry.isDirectory()) out.push(...skillFiles(join(root, entry.name), depth - 1));
  }
  return out;
}

/** The name Codex gives a skill: its frontmatter `name`, else its folder's name. */
function skillNameOf(file: string): string {
  try {
    const name = parseDocument(readFileSync(file, 'utf8')).frontmatter?.data['name'];
    return typeof name === 'string' ? name : dirname(file).split(/[\\/]/).pop() ?? '';
  } catch {
    return '';
  }
}

/**
 * Look at everything that decides whether `$codex-orchestration` works: Node, the `codex`
 * binary and its version, `CODEX_HOME`, whether the installed skill is current, and other
 * skills of the same name that would make the mention ambiguous. Every problem comes with a fix.
 */
export async function runDoctor(options: DoctorOptions): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  const nodeVersion = options.nodeVersion ?? process.versions.node;
  const major = Number(nodeVersion.split('.')[0]);
  checks.push(
    major >= minNodeMajor
      ? { id: 'node', ok: true, message: `node ${nodeVersion}` }
      : { id: 'node', ok: false, message: `node ${nodeVersion} is too old, the skill script needs ${minNodeMajor} or later`, fix: `install Node.js ${minNodeMajor} or later` },
  );

  const codexPath = findOnPath('codex', options.env);
  if (!codexPath) {
    checks.push({ id: 'codex', ok: false, message: 'codex is not on PATH', fix: 'npm install -g @openai/codex (or add its folder to PATH)' });
  } else {
    const version = await codexVersion(codexPath, options.env);
    checks.push(
      version
        ? { id: 'codex', ok: true, message: `codex ${version} (${codexPath})` }
        : { id: 'codex', ok: false, message: `${codexPath} --version failed`, fix: 'reinstall Codex: npm install -g @openai/codex' },
    );
  }

  const home = codexHome(options.env);
  const fromEnv = options.env['CODEX_HOME'] ? 'from CODEX_HOME' : 'default; set CODEX_HOME to change it';
  checks.push(
    existsSync(home)
      ? { id: 'codex-home', ok: true, message: `CODEX_HOME ${home} (${fromEnv})` }
      : { id: 'codex-home', ok: true, message: `CODEX_HOME ${home} (${fromEnv}) does not exist yet; Codex creates it on first run` },
  );

  // Installs orch-prompt knows how to make, and where Codex reads them.
  const locations: Array<{ target: InstallTarget; project: boolean; flags: string }> = [
    { target: 'codex', project: false, flags: '' },
    { target: 'agents', project: false, flags: ' --target agents' },
    { target: 'agents', project: true, flags: ' --target agents --project' },
  ];
  let installed = 0;
  for (const location of locations) {
    const dir = join(skillsDir({ ...location, cwd: options.cwd, env: options.env }), skillName);
    if (!existsSync(dir)) continue;
    installed++;
    if (!options.folder) {
      checks.push({ id: 'skill', ok: true, message: `installed in ${dir} (not compared: run doctor from the codex-orchestration package to check it is current)` });
      continue;
    }
    const state = installState(dir, options.folder.files);
    if (state.kind === 'current') checks.push({ id: 'skill', ok: true, message: `installed and current in ${dir}` });
    else if (state.kind === 'outdated') checks.push({ id: 'skill', ok: false, message: `${dir} holds an older build (${state.version})`, fix: `orch-prompt install${location.flags}` });
    else if (state.kind === 'edited') checks.push({ id: 'skill', ok: false, message: `${dir} was edited since it was installed (${state.changed.join(', ')})`, fix: `orch-prompt install${location.flags} --force (keeps a backup of your edits)` });
    else if (state.kind === 'foreign') checks.push({ id: 'skill', ok: false, message: `${dir} was not installed by orch-prompt, so it cannot be checked`, fix: `orch-prompt install${location.flags} --force (keeps a backup)` });
  }
  if (installed === 0) checks.push({ id: 'skill', ok: false, message: `${skillName} is not installed where Codex reads skills`, fix: 'orch-prompt install' });

  const same = codexSkillRoots(options.cwd, options.env)
    .flatMap((root) => skillFiles(root))
    .filter((file) => skillNameOf(file) === skillName)
    .map((file) => dirname(file));
  const unique = [...new Set(same)];
  checks.push(
    unique.length <= 1
      ? { id: 'duplicates', ok: true, message: `no other skill named ${skillName}` }
      : {
          id: 'duplicates',
          ok: false,
          message: `${unique.length} skills named ${skillName} make $${skillName} ambiguous: ${unique.join(', ')}`,
          fix: 'keep one: orch-prompt uninstall --target codex|agents [--project], or remove the other folders',
        },
  );
  checks.push(await clawhubCheck(options.env));
  return checks;
}

import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { userHome } from '../fs/home.js';
import { linkTarget, realpathOr } from '../fs/link-target.js';
import { readTextBounded } from '../fs/read-bounded.js';
import { walkFiles } from '../fs/walk.js';
import { parseDocument } from '../markdown/parse.js';
import type { AgentFile } from './agents/compile-agents.js';
import { agentChecks } from './agents/doctor-agents.js';
import { mcpChecks } from './mcp/doctor-mcp.js';
import { clawhubCheck } from './clawhub.js';
import type { DoctorCheck } from './doctor-check.js';
import { findOnPath, isExecutableFile } from '../fs/find-on-path.js';
import { installState } from './install-state.js';
import { clearLeftovers, restoreInterrupted } from './leftovers.js';
import type { SkillFolder } from './skill-files.js';
import { skillName } from './skill-name.js';
import { codexHome, skillsDir, type InstallTarget } from './install-targets.js';

export type { DoctorCheck } from './doctor-check.js';

/** What doctor needs from its surroundings (tests pass their own). */
export interface DoctorOptions {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** The skill as it would be installed now; without it the install is not compared. */
  folder: SkillFolder | undefined;
  /** Node's version (default: this process's). */
  nodeVersion?: string;
  /** The custom agents `install` would write now; without them the installed ones are not compared. */
  agents?: readonly AgentFile[];
  /** The package version (recorded in what install writes). */
  version?: string;
}

/** Oldest Node major version the package supports. */
export const minNodeMajor = 20;

/**
 * The codex that `orch-prompt run` would start: `$CODEX_BIN` when set (a path, or a name looked
 * up on PATH, as the runner does), else `codex` on PATH.
 */
function codexCheck(options: DoctorOptions): { path: string | undefined; source: string; problem?: DoctorCheck } {
  const configured = options.env['CODEX_BIN'];
  if (configured === undefined || configured === '') return { path: findOnPath('codex', options.env), source: 'on PATH' };
  const byPath = configured.includes('/') || configured.includes('\\') || isAbsolute(configured);
  const path = byPath ? resolve(options.cwd, configured) : findOnPath(configured, options.env);
  if (path !== undefined && isExecutableFile(path)) return { path, source: 'from CODEX_BIN' };
  return {
    path: undefined,
    source: 'from CODEX_BIN',
    problem: {
      id: 'codex',
      ok: false,
      message: `CODEX_BIN is ${configured}, which is not ${byPath ? 'an executable file' : 'an executable on PATH'}; orch-prompt run would fail to start workers`,
      fix: 'set CODEX_BIN to the codex executable, or unset it to use codex from PATH',
    },
  };
}

function codexVersion(path: string, env: DoctorOptions['env']): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(path, ['--version'], { env: { ...env } as NodeJS.ProcessEnv, timeout: 15_000 }, (error, stdout) => {
      resolve(error ? undefined : (/\d+\.\d+\.\d+\S*/.exec(stdout)?.[0] ?? stdout.trim()));
    });
  });
}

/** The folders Codex reads skills from, for `cwd`: user, `~/.agents`, and `.agents/skills` up to the repository root. */
export function codexSkillRoots(cwd: string, env: DoctorOptions['env']): string[] {
  const roots = [join(codexHome(env), 'skills'), join(userHome(env), '.agents', 'skills')];
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
function skillFiles(root: string): string[] {
  if (!existsSync(root)) return [];
  return walkFiles(root, { match: (name) => name === 'SKILL.md', maxDepth: 2 }).files;
}

// Far above any real SKILL.md; a larger file is not read to find its name.
const maxSkillBytes = 1024 * 1024;

/** The name Codex gives a skill: its frontmatter `name`, else its folder's name. */
function skillNameOf(file: string): string {
  try {
    const name = parseDocument(readTextBounded(file, { maxBytes: maxSkillBytes, what: 'a SKILL.md' })).frontmatter?.data['name'];
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

  const codex = codexCheck(options);
  if (codex.problem) checks.push(codex.problem);
  else if (!codex.path) {
    checks.push({ id: 'codex', ok: false, message: 'codex is not on PATH', fix: 'npm install -g @openai/codex (or add its folder to PATH, or set CODEX_BIN)' });
  } else {
    const version = await codexVersion(codex.path, options.env);
    const where = codex.source === 'on PATH' ? codex.path : `${codex.path}, ${codex.source}`;
    checks.push(
      version
        ? { id: 'codex', ok: true, message: `codex ${version} (${where})` }
        : { id: 'codex', ok: false, message: `${where}: --version failed`, fix: 'reinstall Codex: npm install -g @openai/codex' },
    );
  }

  const home = codexHome(options.env);
  const fromEnv = options.env['CODEX_HOME'] ? 'from CODEX_HOME' : 'default; set CODEX_HOME to change it';
  checks.push(codexHomeCheck(home, fromEnv));

  // Installs orch-prompt knows how to make, and where Codex reads them.
  const locations: Array<{ target: InstallTarget; project: boolean; flags: string }> = [
    { target: 'codex', project: false, flags: '' },
    { target: 'agents', project: false, flags: ' --target agents' },
    { target: 'agents', project: true, flags: ' --target agents --project' },
  ];
  let installed = 0;
  for (const location of locations) {
    const dir = join(skillsDir({ ...location, cwd: options.cwd, env: options.env }), skillName);
    const interrupted = interruptedCheck(dir, location.flags);
    if (interrupted) checks.push(interrupted);
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
  // A folder reached twice (a link from ~/.agents/skills to the Codex install) is one skill.
  const unique = [...new Map(same.map((dir) => [realpathOr(dir), dir])).values()];
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
  checks.push(...agentChecks({ cwd: options.cwd, env: options.env, compiled: options.agents, version: options.version ?? 'unknown' }));
  checks.push(...mcpChecks({ cwd: options.cwd, env: options.env }));
  checks.push(await clawhubCheck(options.env));
  return checks;
}


function codexHomeCheck(home: string, fromEnv: string): DoctorCheck {
  let isFolder: boolean;
  try {
    isFolder = statSync(home).isDirectory();
  } catch {
    return { id: 'codex-home', ok: true, message: `CODEX_HOME ${home} (${fromEnv}) does not exist yet; Codex creates it on first run` };
  }
  return isFolder
    ? { id: 'codex-home', ok: true, message: `CODEX_HOME ${home} (${fromEnv})` }
    : {
        id: 'codex-home',
        ok: false,
        message: `CODEX_HOME ${home} (${fromEnv}) is not a folder; Codex keeps its config, sessions and skills in it`,
        fix: 'point CODEX_HOME at a folder, or unset it to use ~/.codex',
      };
}

/** A problem when a killed install left its folders beside `dir` (nothing is changed here). */
function interruptedCheck(dir: string, flags: string): DoctorCheck | undefined {
  let target: string;
  try {
    target = linkTarget(dir);
  } catch {
    return undefined;
  }
  const restorable = restoreInterrupted(target, { dryRun: true });
  const left = clearLeftovers(target, () => '', { dryRun: true });
  const stale = [...left.removed, ...left.backedUp.map((b) => b.from)];
  if (!restorable && stale.length === 0) return undefined;
  const message = restorable
    ? `${dir} is missing: an install was interrupted mid-swap; the previous folder waits at ${restorable}`
    : `an interrupted install left ${stale.join(', ')} beside ${dir}`;
  return { id: 'skill', ok: false, message, fix: `orch-prompt install${flags} (puts the folder back, keeps any changes in a backup, removes the rest)` };
}

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** A fresh home for an install test: its own HOME, CODEX_HOME and project folder. */
export interface SkillHome {
  base: string;
  home: string;
  codexHome: string;
  project: string;
  /** `$CODEX_HOME/skills`, and the skill folder and the backups install uses there. */
  skills: string;
  dir: string;
  backups: string;
  env: { HOME: string; CODEX_HOME: string };
}

/**
 * A scratch folder (named `prefix`, removed after the test file) and a maker of fresh homes in
 * it: each `box()` is a new numbered home with `home/` and `project/` created.
 */
export function skillHomes(prefix: string): { scratch: string; box: () => SkillHome } {
  const scratch = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  let n = 0;
  const box = (): SkillHome => {
    const base = join(scratch, String(++n));
    const home = join(base, 'home');
    const codexHome = join(base, 'codex-home');
    const project = join(base, 'project');
    for (const dir of [home, project]) mkdirSync(dir, { recursive: true });
    const skills = join(codexHome, 'skills');
    return { base, home, codexHome, project, skills, dir: join(skills, 'codex-orchestration'), backups: join(codexHome, '.orch-skill-backups'), env: { HOME: home, CODEX_HOME: codexHome } };
  };
  return { scratch, box };
}

import { join, relative, resolve } from 'node:path';
import { buildSkill, builtSkill, checkSkill } from '../../skill/build.js';
import { compileSkill } from '../../skill/compile.js';
import { compileAgents } from '../../skill/agents/compile-agents.js';
import { validateAgents } from '../../skill/agents/validate-agents.js';
import { installState } from '../../skill/install-state.js';
import { builtinTemplates } from '../../templates/builtin-set.js';
import { UserError } from '../../errors/index.js';
import { reportWarning } from '../report-error.js';
import { refuseInvalidSkill } from '../../skill/validate.js';
import { terminalSafe } from '../../text/terminal.js';
import type { Command } from '../command.js';
import { stringFlag } from '../flags.js';
import { aftermathLines, placeName, shownPath } from '../skill-report.js';
import { version } from '../version.js';

/** `orch-prompt build [--out DIR] [--check] [--force]`. */
export const command: Command = {
  name: 'build',
  summary: 'Compile the skill folder (SKILL.md, references, script) and check it.',
  usage: 'build [--out DIR] [--check] [--force]',
  description:
    'Compiles skill/ and templates/ into DIR/codex-orchestration/ (SKILL.md, agents/openai.yaml, references/, scripts/orch-prompt.mjs, and .orch-install.json recording what was written), validates it with the skill lint rules, and updates the package root SKILL.md. The Codex custom agents install writes (one per built-in role) are compiled and checked with the agent lint rules too: one Codex would skip stops the build (and fails --check). The folder is written as install writes one: a DIR/codex-orchestration/ that was edited, or not written by orch-prompt, is never replaced unless --force, which keeps it in .orch-skill-backups/ beside DIR. With --check nothing is written: exits 1 naming each file that is out of date.',
  flags: [
    { name: 'out', type: 'string', value: 'DIR', description: 'Folder that receives codex-orchestration/ (default: dist/skill in the package).' },
    { name: 'check', type: 'boolean', description: 'Write nothing; exit 1 if the committed SKILL.md (and DIR, when given) is out of date.' },
    { name: 'force', type: 'boolean', description: 'Replace a DIR/codex-orchestration/ that was edited or not written by orch-prompt; a backup is kept.' },
  ],
  examples: ['build', 'build --check', 'build --out /tmp/skills', 'build --check --out /tmp/skills'],
  async run(args, io) {
    const outFlag = stringFlag(args.flags, 'out');
    const out = outFlag === undefined ? undefined : resolve(io.cwd, outFlag);
    // The custom agents `install` writes are compiled from the same templates: checked here too.
    const compiled = compileAgents(builtinTemplates(), version());
    const agents = validateAgents(compiled);
    for (const warning of agents.warnings) reportWarning(io, warning);
    if (args.flags['check'] === true) {
      // The script is only compared when a built folder is named; SKILL.md never needs it.
      const folder = out === undefined ? compileSkill() : builtSkill();
      const stale = checkSkill(folder, out === undefined ? {} : { out });
      for (const error of agents.errors) io.stderr.write(`orch-prompt: ${terminalSafe(error, { singleLine: true })}\n`);
      if (stale.length === 0 && agents.errors.length === 0) {
        io.stdout.write(`skill is up to date; its ${compiled.length} custom agents lint clean\n`);
        return 0;
      }
      if (stale.length === 0) return 1;
      // The command that rebuilds exactly what was checked, as the user would type it here; a
      // built folder holding changes (or not written by orch-prompt) is only replaced with --force.
      const state = out === undefined ? undefined : installState(join(out, folder.name), folder.files).kind;
      const force = state === 'edited' || state === 'foreign' ? ' --force' : '';
      const rebuild = outFlag === undefined ? 'orch-prompt build' : `orch-prompt build --out ${shellWord(outFlag)}${force}`;
      for (const file of stale) {
        io.stderr.write(`orch-prompt: ${shownPath(relative(io.cwd, file.path) || file.path)} is ${file.reason === 'missing' ? 'missing' : 'out of date'}: run \`${terminalSafe(rebuild, { singleLine: true })}\`\n`);
      }
      return 1;
    }
    if (agents.errors.length > 0) throw new UserError('template-invalid', `a role compiles to an agent Codex would skip, nothing was written: ${agents.errors[0]}`);
    const folder = builtSkill();
    refuseInvalidSkill(folder, { print: (text) => io.stderr.write(text), nothing: 'written', what: 'the compiled skill' });
    const result = buildSkill(folder, { ...(out === undefined ? {} : { out }), force: args.flags['force'] === true, version: version() });
    const lines = [`built ${folder.name} into ${placeName(result.placed)} (${folder.files.length} files${result.placed.action === 'unchanged' ? ', already up to date' : ''})`, ...aftermathLines(result.placed)];
    if (result.rootSkill.changed) lines.push(`updated ${shownPath(result.rootSkill.path)}`);
    io.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  },
};

/** A word as a POSIX shell reads it back: quoted only when it must be. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

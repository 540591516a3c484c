import { relative, resolve } from 'node:path';
import { buildSkill, builtSkill, checkSkill } from '../../skill/build.js';
import { compileSkill } from '../../skill/compile.js';
import { SkillError } from '../../skill/skill-error.js';
import { formatSkillFindings, hasErrors, lintSkillFiles } from '../../skill/validate.js';
import type { Command } from '../command.js';
import { CliError } from '../errors.js';
import { stringFlag } from '../flags.js';

/** `orch-prompt build [--out DIR] [--check]`. */
export const command: Command = {
  name: 'build',
  summary: 'Compile the skill folder (SKILL.md, references, script) and check it.',
  usage: 'build [--out DIR] [--check]',
  description:
    'Compiles skill/ and templates/ into DIR/codex-orchestration/ (SKILL.md, agents/openai.yaml, references/, scripts/orch-prompt.mjs), validates it with the skill lint rules, and updates the package root SKILL.md. With --check nothing is written: exits 1 naming each file that is out of date.',
  flags: [
    { name: 'out', type: 'string', value: 'DIR', description: 'Folder that receives codex-orchestration/ (default: dist/skill in the package).' },
    { name: 'check', type: 'boolean', description: 'Write nothing; exit 1 if the committed SKILL.md (and DIR, when given) is out of date.' },
  ],
  examples: ['build', 'build --check', 'build --out /tmp/skills'],
  async run(args, io) {
    const outFlag = stringFlag(args.flags, 'out');
    const out = outFlag === undefined ? undefined : resolve(io.cwd, outFlag);
    try {
      if (args.flags['check'] === true) {
        // The script is only compared when a built folder is named; SKILL.md never needs it.
        const folder = out === undefined ? compileSkill() : builtSkill();
        const stale = checkSkill(folder, out === undefined ? {} : { out });
        if (stale.length === 0) {
          io.stdout.write('skill is up to date\n');
          return 0;
        }
        for (const file of stale) {
          io.stderr.write(`orch-prompt: ${relative(io.cwd, file.path) || file.path} is ${file.reason === 'missing' ? 'missing' : 'out of date'}: run \`orch-prompt build\`\n`);
        }
        return 1;
      }
      const folder = builtSkill();
      const results = lintSkillFiles(folder.name, folder.files);
      io.stderr.write(formatSkillFindings(folder.name, results));
      if (hasErrors(results)) throw new CliError('build: the compiled skill is not valid; nothing was written');
      const result = buildSkill(folder, out === undefined ? {} : { out });
      io.stdout.write(`built ${folder.name} into ${result.dir} (${folder.files.length} files)\n`);
      if (result.rootSkill.changed) io.stdout.write(`updated ${result.rootSkill.path}\n`);
      return 0;
    } catch (error) {
      if (error instanceof SkillError) throw new CliError(error.message);
      throw error;
    }
  },
};

import { resolve } from 'node:path';
import { writeOutputFile } from '../../fs/write-output.js';
import { builtSkill } from '../../skill/build.js';
import { packSkill } from '../../skill/pack.js';
import { SkillError } from '../../skill/skill-error.js';
import { formatSkillFindings, hasErrors, lintSkillFiles } from '../../skill/validate.js';
import { terminalSafe } from '../../text/terminal.js';
import type { Command } from '../command.js';
import { CliError } from '../errors.js';
import { stringFlag } from '../flags.js';
import { shownPath } from '../skill-report.js';
import { version } from '../version.js';

/** `orch-prompt pack [--out FILE]`. */
export const command: Command = {
  name: 'pack',
  summary: 'Make the zip bundle for publishing the skill to ClawHub.',
  usage: 'pack [--out FILE]',
  description:
    'Builds and validates the skill, then writes a zip with the top folder codex-orchestration/ and the metadata ClawHub and OpenClaw read (metadata.openclaw.requires.bins: node, codex), checked against ClawHub\'s rules (slug, size, text files). The installable build stays Agent Skills spec-clean; only the bundle carries the extra metadata.',
  flags: [
    { name: 'out', type: 'string', value: 'FILE', description: 'Where to write the zip (default: codex-orchestration-<version>.zip in the current folder).' },
    { name: 'format', type: 'string', value: 'FORMAT', choices: ['text', 'json'], default: 'text', description: 'Output format.' },
  ],
  examples: ['pack', 'pack --out dist/codex-orchestration.zip'],
  async run(args, io) {
    try {
      const folder = builtSkill();
      const findings = lintSkillFiles(folder.name, folder.files);
      io.stderr.write(formatSkillFindings(folder.name, findings));
      if (hasErrors(findings)) throw new CliError('pack: the skill is not valid; nothing was written');
      const result = packSkill(folder);
      const out = resolve(io.cwd, stringFlag(args.flags, 'out') ?? `${folder.name}-${version()}.zip`);
      writeOutputFile(out, result.zip);
      if (stringFlag(args.flags, 'format') === 'json') {
        io.stdout.write(`${JSON.stringify({ file: out, slug: folder.name, version: version(), files: result.files.map((f) => `${folder.name}/${f.path}`), bytes: result.bytes, zipBytes: result.zip.length }, null, 2)}\n`);
      } else {
        io.stdout.write(`packed ${folder.name} ${version()} into ${shownPath(out)} (${result.files.length} files, ${Math.ceil(result.zip.length / 1024)} KiB) for ClawHub, slug ${folder.name}\n`);
      }
      return 0;
    } catch (error) {
      if (error instanceof SkillError) throw new CliError(`pack: ${terminalSafe(error.message, { singleLine: true })}`);
      throw error;
    }
  },
};

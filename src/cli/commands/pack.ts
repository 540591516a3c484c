import { resolve } from 'node:path';
import { writeOutputFile } from '../../fs/write-output.js';
import { builtSkill } from '../../skill/build.js';
import { packSkill } from '../../skill/pack.js';
import { refuseInvalidSkill } from '../../skill/validate.js';
import type { Command } from '../command.js';
import { formatFlag, stringFlag } from '../flags.js';
import { shownPath } from '../skill-report.js';
import { version } from '../version.js';

/** `orch-prompt pack [--out FILE]`: the zip ClawHub's web publish form takes. */
export const command: Command = {
  name: 'pack',
  summary: 'Zip the skill for ClawHub\'s web publish form.',
  usage: 'pack [--out FILE]',
  description:
    'Builds and validates the skill, then writes a zip with the top folder codex-orchestration/ holding exactly the built files. Its consumer is ClawHub\'s web publish form (https://clawhub.ai/skills/publish), which accepts a .zip and unwraps its top folder: use it to publish from a browser. To publish from the command line use `orch-prompt publish`, which uploads the same files through the clawhub CLI. Checked against ClawHub\'s rules first (slug, text files only, 10 MB per file, 50 MB in all); the zip is deterministic.',
  flags: [
    { name: 'out', type: 'string', value: 'FILE', description: 'Where to write the zip (default: codex-orchestration-<version>.zip in the current folder).' },
    formatFlag('Output format.'),
  ],
  examples: ['pack', 'pack --out dist/codex-orchestration.zip'],
  async run(args, io) {
    const folder = builtSkill();
    refuseInvalidSkill(folder, { print: (text) => io.stderr.write(text), nothing: 'written' });
    const result = packSkill(folder);
    const out = resolve(io.cwd, stringFlag(args.flags, 'out') ?? `${folder.name}-${version()}.zip`);
    await writeOutputFile(out, result.zip, io.signal ? { signal: io.signal } : {});
    if (stringFlag(args.flags, 'format') === 'json') {
      io.stdout.write(`${JSON.stringify({ file: out, slug: folder.name, version: version(), files: folder.files.map((f) => `${folder.name}/${f.path}`), bytes: result.bytes, zipBytes: result.zip.length }, null, 2)}\n`);
    } else {
      io.stdout.write(`packed ${folder.name} ${version()} into ${shownPath(out)} (${folder.files.length} files, ${Math.ceil(result.zip.length / 1024)} KiB) for ClawHub's web publish form, slug ${folder.name}
`);
    }
    return 0;
  },
};

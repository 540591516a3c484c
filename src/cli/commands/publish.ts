import { builtSkill } from '../../skill/build.js';
import { clawhubInstallHint, findClawhub } from '../../skill/clawhub.js';
import { publishSkill, type PublishResult } from '../../skill/publish.js';
import { refuseInvalidSkill } from '../../skill/validate.js';
import { terminalSafe } from '../../text/terminal.js';
import { UserError } from '../../errors/index.js';
import type { Command } from '../command.js';
import { formatFlag, stringFlag } from '../flags.js';
import { reportWarning } from '../report-error.js';
import { version } from '../version.js';

/** `orch-prompt publish`: the built skill to ClawHub through the real clawhub CLI. */
export const command: Command = {
  name: 'publish',
  summary: 'Publish the skill to ClawHub (OpenClaw, Termo) with clawhub.',
  usage: 'publish [--registry URL] [--dry-run] [--changelog TEXT] [--format json]',
  description:
    'Builds and validates the skill, then publishes exactly the built folder with the clawhub CLI: `clawhub skill publish DIR --slug codex-orchestration --version <package version> --changelog TEXT --json`. OpenClaw workspaces and Termo agents then install it by slug (`clawhub install codex-orchestration`). Needs clawhub (npm install -g clawhub; found on PATH, or where CLAWHUB_BIN points) and `clawhub login`. `--dry-run` checks here, offline, what would be published (ClawHub\'s rules, the files, their fingerprint) and runs nothing. A private registry: --registry URL (or CLAWHUB_REGISTRY, which clawhub reads itself). Success is checked against clawhub\'s own report: the slug, version, file count and fingerprint must be those of the built files. Exit 1 when clawhub fails or reports anything else.',
  flags: [
    { name: 'registry', type: 'string', value: 'URL', description: 'ClawHub registry API base URL, passed to clawhub as --registry (default: clawhub\'s, i.e. CLAWHUB_REGISTRY or https://clawhub.ai).' },
    { name: 'dry-run', type: 'boolean', description: 'Check here what would be published (ClawHub\'s rules, the files, their fingerprint); run nothing, upload nothing, ask no registry.' },
    { name: 'changelog', type: 'string', value: 'TEXT', description: 'Changelog of this version (default: "codex-orchestration <version>").' },
    formatFlag('Output format; json includes clawhub\'s own --json result.'),
    { name: 'json', type: 'boolean', description: 'Same as --format json (clawhub\'s spelling).' },
  ],
  examples: ['publish --dry-run', 'publish --changelog "Plan files for run"', 'publish --registry http://127.0.0.1:8787 --format json'],
  async run(args, io) {
    const json = args.flags['json'] === true || stringFlag(args.flags, 'format') === 'json';
    const registry = stringFlag(args.flags, 'registry');
    const changelog = stringFlag(args.flags, 'changelog');
    const dryRun = args.flags['dry-run'] === true;
    const clawhub = findClawhub(io.env);
    if (!clawhub && !dryRun) throw new UserError('publish-failed', `clawhub is not on PATH; ${clawhubInstallHint}`);
    const folder = builtSkill();
    refuseInvalidSkill(folder, { print: (text) => io.stderr.write(text), nothing: 'published' });
    const result = await publishSkill(folder, {
      clawhub: clawhub?.path,
      version: version(),
      env: io.env,
      dryRun,
      ...(registry === undefined ? {} : { registry }),
      ...(changelog === undefined ? {} : { changelog }),
      ...(io.signal ? { signal: io.signal } : {}),
    });
    if (json) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else if (result.ok) io.stdout.write(report(result));
    if (dryRun && !clawhub) reportWarning(io, `publish: clawhub is not on PATH, and publishing needs it; ${clawhubInstallHint}`);
    if (!result.ok) throw new UserError('publish-failed', `${result.error ?? 'clawhub failed'}${result.dryRun ? ' (dry run)' : ''}`);
    return 0;
  },
};

/** The human report of a successful publish or dry run. */
function report(result: PublishResult): string {
  const where = result.registry === undefined ? "clawhub's registry" : terminalSafe(result.registry, { singleLine: true });
  const what = `${result.slug} ${result.version} (${result.files.length} files, fingerprint ${result.fingerprint.slice(0, 12)})`;
  const lines: string[] = [];
  if (result.status === 'would-publish') lines.push(`would publish ${what} to ${where}; checked here, nothing was uploaded and no registry was asked`);
  else if (result.status === 'published') lines.push(`published ${what} to ${where}`);
  else lines.push(`submitted ${what} to ${where}; ClawHub makes it public once its security scan passes`);
  if (!result.dryRun) lines.push(`OpenClaw and Termo install it with: clawhub install ${result.slug}`);
  return `${lines.join('\n')}\n`;
}

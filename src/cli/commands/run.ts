import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '../../errors/index.js';
import { findRole } from '../../prompt/render.js';
import type { TemplateSet } from '../../templates/model.js';
import { defaultIntoFor, executors, handOverFrom, loadPlan, newRunId, projectRunsDir, runKinds, runsDir, withReceived, type RenderRecipe, type RunPlan, type WorkSource } from '../../run/index.js';
import type { Command } from '../command.js';
import { formatFlag, listFlag, stringFlag, type FlagSpec, type FlagValues, type ParsedArgs } from '../flags.js';
import type { CliIo } from '../io.js';
import { promptFlagTable, promptOptions, sharedPromptFlags, contextFromFlags } from '../prompt-flags.js';
import { planNewRun } from '../../front/new-run.js';
import { planSettings } from '../../front/run-settings.js';
import { givenSettings, setFlag, settingFlags } from '../run-settings.js';
import { loadCliTemplates, noProjectTemplatesFlag, scanTemplatesFlag, templateDirs } from '../templates-source.js';
import { runPlanned } from './run-planned.js';

const kinds = runKinds(executors);

/** The flags of `run` beside a role's and the settings': what to run, where, how to show it. */
const sourceFlags: readonly FlagSpec[] = [
  { name: 'plan', type: 'string', value: 'FILE', description: 'Run the stages of a plan (YAML or JSON) in order, workers within a stage in parallel.' },
  { name: 'each-lens', type: 'string', multiple: true, list: true, value: 'NAMES', description: 'Run one worker per lens, in parallel (triangulated review); comma lists allowed.' },
  { name: 'from', type: 'string', value: 'RUN', description: "Hand the results of a finished run (an id, a unique prefix of one, or a folder) to this run's worker: a review feeding a fix (its merge alone when it has one)." },
];
const placeFlags: readonly FlagSpec[] = [
  { name: 'cd', short: 'C', type: 'string', value: 'DIR', description: 'The project folder workers work in. Default: the current folder.' },
  { name: 'run-dir', type: 'string', value: 'DIR', description: `Where to record the run. Default: ${runsDir}/<timestamp>-<id>/.` },
  { name: 'dry-run', type: 'boolean', description: 'Print the plan (worker, role, lenses, sandbox, folder, prompt size, command); run nothing.' },
  formatFlag('json prints the run summary (or the dry-run plan) for machines.'),
];
/** The run's flags: the common settings with a flag of their own, and `--set` for every one. */
const runnerFlags: readonly FlagSpec[] = [...sourceFlags, ...settingFlags(kinds.settings, (s) => s.flag === true), setFlag(kinds.settings), ...placeFlags];

const base = {
  name: 'run',
  summary: 'Run codex exec workers in parallel, recorded in a run folder.',
  usage: 'run <role> [role flags] [options] | run --plan FILE [options]',
  description:
    "Renders the prompt(s) like `orch-prompt <role>` and runs each worker through its executor: `codex exec --json` here (the prompt on stdin; read-only roles get --sandbox read-only, editing roles workspace-write), or a Codex Cloud task. Records prompts, events, final messages and a sealed manifest.json in the run folder. Settings without a flag of their own are given with --set NAME=VALUE (or in a plan's `settings:`); a run that did not finish goes on with `orch-prompt runs resume RUN`. Exit 0 when every worker succeeded, 1 when one failed, 130 on Ctrl-C. `orch-prompt run <role> --help` lists the role's flags too.",
  maxPositionals: 1,
  examples: [
    'run reviewer --artefact src/ --each-lens risks,correctness,security --merge',
    'run --plan review-fix-verify.yaml --timeout 10m',
    'run reviewer --artefact src/ --lens risks --dry-run',
    'run implementer --deliverable "..." --scope "may edit src/" --executor cloud:ENV_ID --set attempts=3',
    'run reviewer --artefact src/ --each-lens risks,security --budget 200000 --set watchdog=10m',
  ],
} as const;

/** `orch-prompt run`: its flags depend on the role named first, so it specialises itself. */
export const command: Command = {
  ...base,
  flags: [...sharedPromptFlags.filter((f) => f.name === 'context-pack' || f.name === 'templates' || f.name === noProjectTemplatesFlag), ...runnerFlags],
  async prepare(argv, io) {
    return specialise(argv, io);
  },
  run() {
    throw new Error('run: prepare() was not called');
  },
};

async function specialise(argv: readonly string[], io: CliIo): Promise<Command> {
  const templates = await loadCliTemplates(scanTemplatesFlag(argv), io);
  const first = argv[0];
  const roleName = first !== undefined && !first.startsWith('-') ? first : undefined;
  let promptFlags: FlagSpec[];
  if (roleName !== undefined) {
    const role = findRole(templates, roleName);
    promptFlags = promptFlagTable(role, templates);
    const clash = role.parameters.find((p) => runnerFlags.some((f) => f.name === p.name));
    if (clash) throw new UserError('usage', `role \`${roleName}\` has a parameter \`--${clash.name}\`, which is also a runner flag; rename the parameter to run it with \`orch-prompt run\``);
  } else promptFlags = command.flags.filter((f) => !runnerFlags.includes(f));
  return {
    ...base,
    ...(roleName !== undefined ? { usage: `run ${roleName} [${roleName} flags] [options]` } : {}),
    flags: [...promptFlags, ...runnerFlags],
    run: async (args, runIo) => runPlanned(await newPlan({ argv, args, io: runIo, templates, roleName }), { io: runIo, format: stringFlag(args.flags, 'format') ?? 'text', dryRun: args.flags['dry-run'] === true }),
  };
}

interface PlanInput {
  argv: readonly string[];
  args: ParsedArgs;
  io: CliIo;
  templates: TemplateSet;
  roleName: string | undefined;
}

/** Map the command line to a planned run: its source, its settings, its folder. */
async function newPlan(input: PlanInput): Promise<RunPlan> {
  const { args, io, templates, roleName } = input;
  const flags = args.flags;
  const planFile = stringFlag(flags, 'plan');
  const eachLens = listFlag(flags, 'each-lens');
  if (eachLens.length > 0 && roleName === undefined) throw new UserError('usage', '--each-lens needs a role');
  if (roleName !== undefined && planFile !== undefined) throw new UserError('usage', 'give a role or --plan, not both');
  if (planFile !== undefined && stringFlag(flags, 'from') !== undefined) throw new UserError('usage', 'run: --from hands results to one role; in a plan, give a worker `from: RUN` (and `into`)');
  if (roleName === undefined && planFile === undefined) throw new UserError('usage', 'expected a role (`orch-prompt run reviewer ...`) or --plan FILE; a recorded run goes on with `orch-prompt runs resume RUN`');
  const cwd = resolve(io.cwd, stringFlag(flags, 'cd') ?? '.');
  if (!existsSync(cwd)) throw new UserError('usage', `--cd ${stringFlag(flags, 'cd') ?? ''}: no such folder`);
  const source = roleName !== undefined ? await roleSource(roleName, templates, flags, io) : await planSource(planFile as string, templates, flags, io);
  const fromPlan = source.kind === 'plan' ? planSettings(kinds.settings, source.plan.settings, source.file) : [];
  const runDir = resolve(io.cwd, stringFlag(flags, 'run-dir') ?? join(projectRunsDir(io.cwd, 'run'), newRunId()));
  // What the run reads is no change of the project's that a worker would miss.
  const reads = [planFile, stringFlag(flags, 'context-pack')].filter((file): file is string => file !== undefined).map((file) => resolve(io.cwd, file));
  const given = [...fromPlan, ...givenSettings(kinds.settings, args, 'run')];
  return planNewRun({ source, templates, templateDirs: templateDirs(scanTemplatesFlag(input.argv), io), kinds, given, cwd: io.cwd, project: cwd, env: io.env, runDir, argv: input.argv, reads });
}

/** One role, with its flags (and `--from RUN`'s results handed to it). */
async function roleSource(roleName: string, templates: TemplateSet, flags: FlagValues, io: CliIo): Promise<WorkSource> {
  const role = templates.roles[roleName] as NonNullable<TemplateSet['roles'][string]>;
  const { params, lenses, context, task, scope } = await promptOptions(role, templates, flags, io.cwd);
  let recipe: RenderRecipe = { role: roleName, params: definedOnly(params), lenses: [...(lenses ?? [])], context: definedOnly(context) };
  if (task !== undefined) recipe.task = task;
  if (scope !== undefined) recipe.scope = scope;
  const from = stringFlag(flags, 'from');
  if (from !== undefined) recipe = withReceived(recipe, templates, defaultIntoFor(roleName, templates), handOverFrom(from, io.cwd, 'run: --from', kinds).text, 'run: --from');
  return { kind: 'role', recipe, eachLens: listFlag(flags, 'each-lens') };
}

/** A plan file, with the context pack of `--context-pack` for every worker. */
async function planSource(file: string, templates: TemplateSet, flags: FlagValues, io: CliIo): Promise<WorkSource> {
  const context = await contextFromFlags(templates, flags, io.cwd);
  return { kind: 'plan', plan: loadPlan(resolve(io.cwd, file), file, kinds.executors), file, context };
}

function definedOnly(values: Readonly<Record<string, string | undefined>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(values ?? {})) if (value !== undefined) out[key] = value;
  return out;
}

import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultWatchdogMs, describeRange, durationRanges, formatDuration, inRange, type DurationRange } from '../../run/settings/duration.js';
import {
  loadPlan,
  newRunId,
  parseDuration,
  planResume,
  planRun,
  projectRunsDir,
  runsDir,
  startRun,
  type ResumeOverrides,
  type RunPlan,
  type RunResult,
  type RunSettings,
  type WorkSource,
} from '../../run/index.js';
import { defaultCloudPollMs } from '../../run/cloud/cloud-executor.js';
import { stillInCloudLines } from '../../run/cloud/still-in-cloud.js';
import type { ExecutorDefaults } from '../../run/plan/plan-workers.js';
import { builtinTemplates } from '../../templates/builtin-set.js';
import { UserError } from '../../errors/index.js';
import { builtinPrices, loadPrices } from '../../run/cost/prices.js';
import { preflight } from '../../run/local/preflight.js';
import { defaultPoolSize } from '../../run/local/worktree/pool.js';
import { handOverFrom } from '../../run/plan/hand-over.js';
import { defaultIntoFor, withReceived } from '../../run/plan/worker-prompt.js';
import { findRole } from '../../prompt/render.js';
import type { TemplateSet } from '../../templates/model.js';
import type { ReasoningEffort, RenderRecipe } from '../../run/record/model.js';
import { reasoningEfforts } from '../../templates/frontmatter-schema.js';
import type { Command } from '../command.js';
import { type FlagSpec, type FlagValues, formatFlag, listFlag, type ParsedArgs, stringFlag } from '../flags.js';
import { program } from '../help.js';
import type { CliIo } from '../io.js';
import { reportWarning } from '../report-error.js';
import { dryRunJson, dryRunText } from '../views/run-dry-run.js';
import { createProgress } from '../views/run-progress.js';
import { safeLine } from '../views/safe-line.js';
import { summaryJson, summaryText } from '../views/run-summary.js';
import { contextFromFlags, promptFlagTable, promptOptions, sharedPromptFlags } from '../prompt-flags.js';
import { loadCliTemplates, noProjectTemplatesFlag, scanTemplatesFlag, templateDirs } from '../templates-source.js';

const runnerFlags: readonly FlagSpec[] = [
  { name: 'each-lens', type: 'string', multiple: true, list: true, value: 'NAMES', description: 'Run one worker per lens, in parallel (triangulated review); comma lists allowed.' },
  { name: 'plan', type: 'string', value: 'FILE', description: 'Run the stages of a plan (YAML or JSON) in order, workers within a stage in parallel.' },
  { name: 'from', type: 'string', value: 'RUN', description: "Hand the results of a finished run (a run id, a unique prefix of one, or a run folder) to this run's worker: a review feeding a fix. Its structured results with --structured, else its final messages." },
  { name: 'into', type: 'string', value: 'NAME', description: 'With --from: the role parameter or context-pack field that receives them. Default: results when the role has it, else pointers.' },
  { name: 'merge', type: 'boolean', description: 'Merge all results into one ranked, de-duplicated answer (the synthesizer role; without a model under --structured).' },
  { name: 'structured', type: 'boolean', description: "Pass each role's output schema to codex (--output-schema) and validate every final message against it." },
  { name: 'max-parallel', type: 'string', value: 'N', default: '4', integer: { min: 1, max: 64 }, description: 'Workers running at once.' },
  { name: 'timeout', type: 'string', value: 'DURATION', description: "Per worker (90, 90s, 5m; 1s to 168h, 0 for none): then the worker's whole process tree is ended." },
  {
    name: 'watchdog',
    type: 'string',
    value: 'DURATION',
    default: formatDuration(defaultWatchdogMs),
    description: 'End a worker that shows no progress for this long (only reconnect notices, no command running): the model is out of reach. 1s to 24h; 0 turns it off.',
  },
  { name: 'retries', type: 'string', value: 'N', default: '0', integer: { min: 0, max: 10 }, description: 'Retry a worker that failed on a model or stream error, with backoff.' },
  { name: 'retry-delay', type: 'string', value: 'DURATION', default: '2s', description: 'First retry delay (at most 1h); doubled on each retry, up to 1h.' },
  { name: 'grace', type: 'string', value: 'DURATION', default: '5s', description: 'On timeout or Ctrl-C, wait this long (at most 1h) after SIGTERM before SIGKILL.' },
  { name: 'fail-fast', type: 'boolean', description: 'Stop every worker as soon as one fails.' },
  { name: 'budget', type: 'string', value: 'TOKENS', integer: { min: 1, max: 1_000_000_000_000 }, description: 'Input plus output tokens the run may spend: once spent no new worker starts, once exceeded the running ones are canceled ("budget").' },
  { name: 'budget-usd', type: 'string', value: 'DOLLARS', description: 'Like --budget, in estimated US dollars at the price table (every worker needs a priced model).' },
  { name: 'prices', type: 'string', value: 'FILE', description: `Price table (JSON, dollars per million tokens) over the built-in one. Default: .orch/prices.json when there is one.` },
  {
    name: 'isolation',
    type: 'string',
    value: 'MODE',
    choices: ['none', 'worktree'],
    default: 'none',
    description: 'worktree: each editing worker works in its own git worktree, made from HEAD, and what it changes is committed on a branch of its own, so writers run at once even on overlapping paths (see `runs apply`).',
  },
  { name: 'from-dirty', type: 'boolean', description: 'With --isolation worktree: copy uncommitted changes into each worktree instead of refusing a dirty tree.' },
  { name: 'worktree-pool', type: 'string', value: 'N', default: String(defaultPoolSize), integer: { min: 0, max: 64 }, description: 'With --isolation worktree: keep up to N worktrees whose worker changed nothing in .git/orch-prompt/worktrees for later workers to take over, which spares checking out every file again (0: remove each one; `runs clean --pool` removes them).' },
  { name: 'model', short: 'm', type: 'string', value: 'MODEL', description: "codex exec -m for every worker (over a plan worker's `model` and a role's)." },
  {
    name: 'reasoning-effort',
    type: 'string',
    value: 'LEVEL',
    choices: [...reasoningEfforts],
    description: "Codex's model_reasoning_effort for every worker (over a plan worker's `reasoning-effort` and a role's).",
  },
  { name: 'sandbox', type: 'string', value: 'MODE', choices: ['read-only'], description: 'read-only: run every worker, editing ones too, in the read-only sandbox (a sandbox is only ever narrowed).' },
  { name: 'profile', short: 'p', type: 'string', value: 'NAME', description: 'codex exec -p.' },
  { name: 'cd', short: 'C', type: 'string', value: 'DIR', description: 'Folder the workers work in (codex exec -C). Default: the current folder.' },
  { name: 'config', short: 'c', type: 'string', multiple: true, value: 'KEY=VALUE', description: 'Codex config override (codex exec -c).' },
  { name: 'codex-bin', type: 'string', value: 'PATH', description: 'The codex executable. Default: $CODEX_BIN, else `codex` on PATH.' },
  { name: 'yolo', type: 'boolean', description: 'Turn approvals and the sandbox off (--dangerously-bypass-approvals-and-sandbox). Only in an outer sandbox.' },
  { name: 'executor', type: 'string', value: 'WHERE', choices: ['local', 'cloud'], default: 'local', description: 'Where workers run: local (codex exec here) or cloud (Codex Cloud tasks via codex cloud exec). A plan worker may say `executor:` itself.' },
  { name: 'env', type: 'string', value: 'ENV_ID', description: 'Codex Cloud environment of cloud workers (see `codex cloud`).' },
  { name: 'attempts', type: 'string', value: 'N', integer: { min: 1, max: 4 }, description: 'Cloud workers: best-of-N attempts per task (1-4; default 1). Each attempt is a full cloud run.' },
  { name: 'branch', type: 'string', value: 'BRANCH', description: "Cloud workers: the branch the cloud checks out (default: the project's current branch)." },
  { name: 'poll', type: 'string', value: 'DURATION', default: '10s', description: 'Cloud workers: first wait between two `codex cloud status` reads (1s to 10m); it grows by half each time, up to 1m.' },
  { name: 'run-dir', type: 'string', value: 'DIR', description: `Where to record the run. Default: ${runsDir}/<timestamp>-<id>/.` },
  { name: 'resume', type: 'string', value: 'RUN_DIR', description: 'Continue a recorded run in its folder: re-run the workers that did not succeed, and those downstream of a result that changed.' },
  { name: 'dry-run', type: 'boolean', description: 'Print the plan matrix (worker, role, lenses, sandbox, cwd, prompt size, command); run nothing.' },
  formatFlag('json prints the run summary (or the dry-run matrix) for machines.'),
];

const base = {
  name: 'run',
  summary: 'Run codex exec workers in parallel, recorded in a run folder.',
  usage: 'run <role> [role flags] [options] | run --plan FILE [options] | run --resume RUN_DIR',
  description:
    'Renders the prompt(s) like `orch-prompt <role>` and runs `codex exec --json` workers with the prompt on stdin. Read-only roles get --sandbox read-only, editing roles workspace-write. Records prompts, events, stderr, final messages and manifest.json under the run folder. Exit 0 when every worker succeeded, 1 when one failed, 130 on Ctrl-C. `orch-prompt run <role> --help` lists the role\'s flags too.',
  maxPositionals: 1,
  examples: [
    'run reviewer --artefact src/ --each-lens risks,correctness,security --merge',
    'run --plan review-fix-verify.yaml --timeout 10m',
    'run reviewer --artefact src/ --lens risks --dry-run',
    'run --resume .orch/runs/20260101T000000Z-abc123',
    'run implementer --deliverable "..." --scope "may edit src/" --executor cloud --env ENV_ID --attempts 3',
  ],
} as const;

/** `orch-prompt run`: its flags depend on the role named first, so it specialises itself. */
export const command: Command = {
  ...base,
  flags: runnerFlags,
  async prepare(argv, io) {
    return specialise(argv, io);
  },
  run() {
    throw new Error('run: prepare() was not called');
  },
};

async function specialise(argv: readonly string[], io: CliIo): Promise<Command> {
  // A resumed run takes its templates from its own record: the current folder's do not matter.
  const resuming = argv.some((arg) => arg === '--resume' || arg.startsWith('--resume='));
  const templates = resuming ? builtinTemplates() : await loadCliTemplates(scanTemplatesFlag(argv), io);
  const first = argv[0];
  const roleName = first !== undefined && !first.startsWith('-') ? first : undefined;
  let promptFlags: FlagSpec[];
  if (roleName !== undefined) {
    const role = findRole(templates, roleName);
    promptFlags = promptFlagTable(role, templates);
    const clash = role.parameters.find((p) => runnerFlags.some((f) => f.name === p.name));
    if (clash) throw new UserError('usage', `role \`${roleName}\` has a parameter \`--${clash.name}\`, which is also a runner flag; rename the parameter to run it with \`orch-prompt run\``);
  } else {
    // A plan takes shared context-pack values from flags; --templates is needed for its roles.
    const fields = templates.contextPack.fields.map((f): FlagSpec => ({ name: f.flag, type: 'string', value: 'TEXT', description: `Context pack for every worker: ${f.label}.` }));
    promptFlags = [...sharedPromptFlags.filter((f) => f.name === 'templates' || f.name === noProjectTemplatesFlag || f.name === 'context-pack'), ...fields];
  }
  const flags = [...promptFlags, ...runnerFlags];
  return {
    ...base,
    ...(roleName !== undefined ? { usage: `run ${roleName} [${roleName} flags] [options]` } : {}),
    flags,
    run: (args, runIo) => execute({ argv, args, io: runIo, templates, roleName }),
  };
}

interface ExecuteInput {
  argv: readonly string[];
  args: ParsedArgs;
  io: CliIo;
  templates: TemplateSet;
  roleName: string | undefined;
}

/** Map the flags to a plan, show it or run it, and map the result to output and an exit code. */
async function execute(input: ExecuteInput): Promise<number> {
  const { args, io } = input;
  const flags = args.flags;
  const format = stringFlag(flags, 'format') ?? 'text';
  const plan = stringFlag(flags, 'resume') !== undefined ? resumePlan(input) : await newPlan(input);
  for (const w of plan.workers) for (const warning of w.warnings) reportWarning(io, `${w.spec.id}: ${warning}`);
  if (flags['dry-run'] === true) {
    io.stdout.write(format === 'json' ? `${JSON.stringify(dryRunJson(plan), null, 2)}\n` : dryRunText(plan));
    return 0;
  }
  // Stop before any worker starts when codex exec could not reach its model (a Codex sandbox
  // without network) or the run folder cannot be written (a read-only sandbox); a dry run above
  // needs neither.
  const { config, profile } = plan.manifest.options;
  const ready = await preflight({ env: io.env, runDir: plan.runDir, config, ...(profile !== undefined ? { profile } : {}) });
  if (!ready.ok) throw new UserError('usage', `${ready.message}`);
  const result = await runWithProgress(plan, io, ready.endpoint?.urls[0]);
  io.stdout.write(format === 'json' ? `${JSON.stringify(summaryJson(result.runDir, result.manifest, result.status, result.error), null, 2)}\n` : summaryText(result.runDir, result.manifest));
  if (result.error !== null) io.stderr.write(`${program}: run: ${safeLine(result.error)}\n`);
  // Cloud tasks are not ours to stop: say which still run and how to see them.
  for (const line of stillInCloudLines(result.manifest, result.runDir)) io.stderr.write(`${program}: ${safeLine(line)}\n`);
  if (result.canceled) return 130;
  return result.status === 'succeeded' ? 0 : 1;
}

/** `--from RUN [--into NAME]`: the recipe with the finished run's results in `into`. */
function withHandOver(recipe: RenderRecipe, templates: TemplateSet, flags: FlagValues, cwd: string): RenderRecipe {
  const from = stringFlag(flags, 'from');
  const into = stringFlag(flags, 'into');
  if (from === undefined) {
    if (into !== undefined) throw new UserError('usage', 'run: --into names where the results of --from RUN go; give --from RUN too');
    return recipe;
  }
  const handed = handOverFrom(from, cwd, 'run: --from');
  return withReceived(recipe, templates, into ?? defaultIntoFor(recipe.role, templates), handed.text, 'run: --from');
}

async function newPlan(input: ExecuteInput): Promise<RunPlan> {
  const { args, io, templates, roleName } = input;
  const flags = args.flags;
  const planFile = stringFlag(flags, 'plan');
  const eachLens = listFlag(flags, 'each-lens');
  if (eachLens.length > 0 && roleName === undefined) throw new UserError('usage', '--each-lens needs a role');
  if (roleName !== undefined && planFile !== undefined) throw new UserError('usage', 'give a role or --plan, not both');
  if (planFile !== undefined && (stringFlag(flags, 'from') !== undefined || stringFlag(flags, 'into') !== undefined)) {
    throw new UserError('usage', 'run: --from and --into hand results to one role; in a plan, give a worker `from: RUN` (and `into`)');
  }
  if (roleName === undefined && planFile === undefined) throw new UserError('usage', 'expected a role (`orch-prompt run reviewer ...`), --plan FILE or --resume RUN_DIR');

  const settings = settingsFrom(flags, io);
  const cwd = resolve(io.cwd, stringFlag(flags, 'cd') ?? '.');
  if (!existsSync(cwd)) throw new UserError('usage', `--cd ${stringFlag(flags, 'cd') ?? ''}: no such folder`);
  let source: WorkSource;
  if (roleName !== undefined) {
    const role = templates.roles[roleName] as NonNullable<TemplateSet['roles'][string]>;
    const { params, lenses, context, task, scope } = await promptOptions(role, templates, flags, io.cwd);
    const recipe: RenderRecipe = { role: roleName, params: definedOnly(params), lenses: [...(lenses ?? [])], context: definedOnly(context) };
    if (task !== undefined) recipe.task = task;
    if (scope !== undefined) recipe.scope = scope;
    source = { kind: 'role', recipe: withHandOver(recipe, templates, flags, io.cwd), eachLens };
  } else {
    const file = planFile as string;
    const context = await contextFromFlags(templates, flags, io.cwd);
    source = { kind: 'plan', plan: loadPlan(resolve(io.cwd, file), file), file, context };
  }
  const worktrees = settings.isolation === 'worktree' || (source.kind === 'plan' && source.plan.stages.some((st) => st.workers.some((w) => w.isolation === 'worktree')));
  if (settings.fromDirty === true && !worktrees) throw new UserError('usage', 'run: --from-dirty copies uncommitted changes into worktrees; it needs --isolation worktree (or `isolation: worktree` in the plan)');
  if (worktrees) settings.worktreePool = Number(stringFlag(flags, 'worktree-pool') ?? defaultPoolSize);
  else if (input.argv.some((a) => a === '--worktree-pool' || a.startsWith('--worktree-pool='))) throw new UserError('usage', 'run: --worktree-pool keeps worktrees for reuse; it needs --isolation worktree (or `isolation: worktree` in the plan)');
  const runDir = resolve(io.cwd, stringFlag(flags, 'run-dir') ?? join(projectRunsDir(io.cwd, 'run'), newRunId()));
  // What the run reads is no change of the project's that a worker would miss.
  const reads = [planFile, stringFlag(flags, 'context-pack')].filter((file): file is string => file !== undefined).map((file) => resolve(io.cwd, file));
  const plan = planRun(source, { templates, templateDirs: templateDirs(scanTemplatesFlag(input.argv), io), cwd, runDir, settings, argv: input.argv, invokedFrom: io.cwd, env: io.env, executor: executorFlags(flags), reads });
  if (settings.budgetUsd !== undefined) {
    // A dollar budget that cannot be counted would never stop anything.
    const unpriced = plan.manifest.workers.find((w) => w.model === undefined || settings.prices?.models[w.model] === undefined);
    if (unpriced) {
      const why = unpriced.model === undefined ? "runs Codex's default model, which has no name here; choose one (--model, or `model` in the plan or the role)" : `runs \`${unpriced.model}\`, which has no price; add it to .orch/prices.json or --prices FILE`;
      throw new UserError('budget-unpriced', `run: --budget-usd: worker \`${unpriced.id}\` ${why}`);
    }
  }
  return plan;
}

/** Flags that may change on `--resume`; anything else would silently change the work. */
const resumeOverrides = ['format', 'max-parallel', 'timeout', 'watchdog', 'retries', 'retry-delay', 'grace', 'fail-fast', 'poll', 'budget', 'budget-usd', 'codex-bin', 'dry-run'];

/** `--resume RUN_DIR`: the stored work again, in the same folder, skipping successes. */
function resumePlan(input: ExecuteInput): RunPlan {
  const { args, io } = input;
  const changed = input.argv
    .filter((arg) => arg.startsWith('-') && arg !== '-')
    .map((arg) => (arg.startsWith('--') ? arg.slice(2).split('=')[0] as string : shortNames.get(arg.slice(1, 2)) ?? arg.slice(1)))
    .filter((name) => name !== 'resume' && !resumeOverrides.includes(name));
  if (changed.length > 0 || args.positionals.length > 0) {
    const what = changed.length > 0 ? `--${changed[0]}` : `\`${args.positionals[0]}\``;
    throw new UserError('usage', `--resume replays the stored run; ${what} cannot change it (only ${resumeOverrides.map((n) => `--${n}`).join(', ')} may be given)`);
  }
  const given = (name: string): boolean => input.argv.some((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  const overrides: ResumeOverrides = {};
  if (given('max-parallel')) overrides.maxParallel = Number(stringFlag(args.flags, 'max-parallel'));
  if (given('timeout')) overrides.timeoutMs = durationFlag(args.flags, 'timeout') ?? 0;
  if (given('watchdog')) overrides.watchdogMs = durationFlag(args.flags, 'watchdog') ?? defaultWatchdogMs;
  if (given('retries')) overrides.retries = Number(stringFlag(args.flags, 'retries'));
  if (given('grace')) overrides.graceMs = durationFlag(args.flags, 'grace') ?? 5000;
  if (given('fail-fast')) overrides.failFast = true;
  if (given('poll')) overrides.cloudPollMs = durationFlag(args.flags, 'poll') ?? defaultCloudPollMs;
  if (given('retry-delay')) overrides.retryDelayMs = durationFlag(args.flags, 'retry-delay') ?? 2000;
  // A run stopped by its budget goes on with a larger one.
  if (given('budget')) overrides.budgetTokens = Number(stringFlag(args.flags, 'budget'));
  if (given('budget-usd')) overrides.budgetUsd = budgetUsdFlag(args.flags) as number;
  // The program is this invocation's choice, never the run folder's.
  const codexBin = stringFlag(args.flags, 'codex-bin') ?? io.env['CODEX_BIN'];
  if (codexBin !== undefined) overrides.codexBin = codexBin;
  return planResume(resolve(io.cwd, stringFlag(args.flags, 'resume') as string), { env: io.env, overrides });
}

const shortNames = new Map(runnerFlags.filter((f) => f.short !== undefined).map((f) => [f.short as string, f.name]));

/** Run with a live display; Ctrl-C stops the workers, a second one ends them at once. */
async function runWithProgress(plan: RunPlan, io: CliIo, endpoint: string | undefined): Promise<RunResult> {
  const progress = await createProgress(io.stderr, plan.manifest.workers);
  const kill = new AbortController();
  // The first Ctrl-C stops the workers gracefully (through io.signal); a second one does not
  // wait for the grace period. Listening also keeps Node from dying on it with workers alive.
  let signals = 0;
  const onSignal = (): void => {
    if (++signals > 1) kill.abort();
  };
  if (io.signal) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  try {
    const handle = startRun(plan, { env: io.env, ...(io.signal ? { signal: io.signal } : {}), ...(endpoint !== undefined ? { endpoint } : {}), killSignal: kill.signal, onProgress: (record, activity) => progress.update(record, activity) });
    for (const warning of handle.warnings) reportWarning(io, warning);
    return await handle.result;
  } finally {
    progress.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function settingsFrom(flags: FlagValues, io: CliIo): RunSettings {
  const settings: RunSettings = {
    codexBin: stringFlag(flags, 'codex-bin') ?? io.env['CODEX_BIN'] ?? 'codex',
    config: listFlag(flags, 'config'),
    yolo: flags['yolo'] === true,
    structured: flags['structured'] === true,
    merge: flags['merge'] === true,
    maxParallel: Number(stringFlag(flags, 'max-parallel') ?? 4),
    timeoutMs: durationFlag(flags, 'timeout') ?? 0,
    watchdogMs: durationFlag(flags, 'watchdog') ?? defaultWatchdogMs,
    retries: Number(stringFlag(flags, 'retries') ?? 0),
    retryDelayMs: durationFlag(flags, 'retry-delay') ?? 2000,
    graceMs: durationFlag(flags, 'grace') ?? 5000,
    failFast: flags['fail-fast'] === true,
    cloudPollMs: durationFlag(flags, 'poll') ?? defaultCloudPollMs,
  };
  const model = stringFlag(flags, 'model');
  if (model !== undefined) settings.model = model;
  const profile = stringFlag(flags, 'profile');
  if (profile !== undefined) settings.profile = profile;
  if (stringFlag(flags, 'isolation') === 'worktree') settings.isolation = 'worktree';
  const effort = stringFlag(flags, 'reasoning-effort');
  if (effort !== undefined) settings.reasoningEffort = effort as ReasoningEffort;
  if (stringFlag(flags, 'sandbox') === 'read-only') settings.sandbox = 'read-only';
  if (flags['from-dirty'] === true) settings.fromDirty = true;
  const budget = stringFlag(flags, 'budget');
  if (budget !== undefined) settings.budgetTokens = Number(budget);
  const usd = budgetUsdFlag(flags);
  if (usd !== undefined) settings.budgetUsd = usd;
  const pricesFile = stringFlag(flags, 'prices');
  const projectPrices = join(io.cwd, '.orch', 'prices.json');
  if (pricesFile !== undefined) settings.prices = loadPrices(resolve(io.cwd, pricesFile), pricesFile);
  else settings.prices = existsSync(projectPrices) ? loadPrices(projectPrices, '.orch/prices.json') : builtinPrices;
  return settings;
}

function budgetUsdFlag(flags: FlagValues): number | undefined {
  const usd = stringFlag(flags, 'budget-usd');
  if (usd === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(usd) || Number(usd) <= 0) throw new UserError('usage', `run: --budget-usd takes an amount of dollars above 0 such as 2 or 0.50, got \`${usd}\``);
  return Number(usd);
}

/** Duration flags and the range each accepts (see durationRanges). */
const durationFlags: Record<string, DurationRange> = { timeout: durationRanges.timeout, watchdog: durationRanges.watchdog, grace: durationRanges.grace, 'retry-delay': durationRanges.retryDelay, poll: durationRanges.poll };

/** `--executor` and the cloud flags: the default of every worker. */
function executorFlags(flags: FlagValues): ExecutorDefaults {
  const kind = stringFlag(flags, 'executor') === 'cloud' ? 'cloud' : 'local';
  const env = stringFlag(flags, 'env');
  const attempts = stringFlag(flags, 'attempts');
  const branch = stringFlag(flags, 'branch');
  if (kind === 'local' && flags['plan'] === undefined) {
    const cloudOnly = (['env', 'attempts', 'branch'] as const).find((name) => flags[name] !== undefined);
    if (cloudOnly !== undefined) throw new UserError('usage', `run: --${cloudOnly} is for cloud workers; add --executor cloud`);
  }
  if (kind === 'cloud' && env === undefined && flags['plan'] === undefined) throw new UserError('usage', 'run: --executor cloud needs --env ENV_ID (the Codex Cloud environment; see `codex cloud`)');
  return { kind, ...(env !== undefined ? { env } : {}), ...(attempts !== undefined ? { attempts: Number(attempts) } : {}), ...(branch !== undefined ? { branch } : {}) };
}

function durationFlag(flags: FlagValues, name: string): number | undefined {
  const text = stringFlag(flags, name);
  if (text === undefined) return undefined;
  const ms = parseDuration(text);
  if (ms === null) throw new UserError('usage', `--${name} takes a duration such as 90, 90s, 5m or 1500ms, got \`${text}\``);
  const range = durationFlags[name] as DurationRange;
  if (!inRange(ms, range)) throw new UserError('usage', `--${name} must be ${describeRange(range)}, got \`${text}\``);
  return Math.round(ms);
}

function definedOnly(values: Readonly<Record<string, string | undefined>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(values ?? {})) if (value !== undefined) out[key] = value;
  return out;
}

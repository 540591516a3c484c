import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { didYouMean } from '../../prompt/closest.js';
import type { RenderOptions } from '../../prompt/render.js';
import { buildWorkers, type WorkSource } from '../../run/build-workers.js';
import { shellQuote } from '../../run/codex-args.js';
import { ManifestError, readManifest, writeManifest } from '../../run/manifest.js';
import { mergeStructured, writeMerged } from '../../run/merge.js';
import type { Manifest, RunSettings, WorkerRecord } from '../../run/model.js';
import { loadPlan, PlanError } from '../../run/plan.js';
import { alive, endStaleWorker, signalTree } from '../../run/process-tree.js';
import { createProgress } from '../../run/progress.js';
import { live, newRecord, runWorkers, type PlannedWorker } from '../../run/scheduler.js';
import { newRunId, parseDuration, runsDir } from '../../run/settings.js';
import { summaryJson, summaryText } from '../../run/summary.js';
import { unusableReason, type TemplateSet } from '../../templates/model.js';
import type { Command } from '../command.js';
import { UsageError } from '../errors.js';
import { listFlag, parseFlags, stringFlag, type FlagSpec, type FlagValues, type ParsedArgs } from '../flags.js';
import { program } from '../help.js';
import type { CliIo } from '../io.js';
import { contextFromFlags, promptFlagTable, promptOptions, sharedPromptFlags } from '../prompt-flags.js';
import { loadCliTemplates, noProjectTemplatesFlag, scanTemplatesFlag } from '../templates-source.js';

const runnerFlags: readonly FlagSpec[] = [
  { name: 'each-lens', type: 'string', multiple: true, list: true, value: 'NAMES', description: 'Run one worker per lens, in parallel (triangulated review); comma lists allowed.' },
  { name: 'plan', type: 'string', value: 'FILE', description: 'Run the stages of a plan (YAML or JSON) in order, workers within a stage in parallel.' },
  { name: 'merge', type: 'boolean', description: 'Merge all results into one ranked, de-duplicated answer (the synthesizer role; without a model under --structured).' },
  { name: 'structured', type: 'boolean', description: "Pass each role's output schema to codex (--output-schema) and validate every final message against it." },
  { name: 'max-parallel', type: 'string', value: 'N', default: '4', integer: { min: 1, max: 64 }, description: 'Workers running at once.' },
  { name: 'timeout', type: 'string', value: 'DURATION', description: "Per worker (90, 90s, 5m): then the worker's whole process tree is ended." },
  { name: 'retries', type: 'string', value: 'N', default: '0', integer: { min: 0, max: 10 }, description: 'Retry a worker that failed on a model or stream error, with backoff.' },
  { name: 'retry-delay', type: 'string', value: 'DURATION', default: '2s', description: 'First retry delay; doubled on each retry.' },
  { name: 'grace', type: 'string', value: 'DURATION', default: '5s', description: 'On timeout or Ctrl-C, wait this long after SIGTERM before SIGKILL.' },
  { name: 'fail-fast', type: 'boolean', description: 'Stop every worker as soon as one fails.' },
  { name: 'model', short: 'm', type: 'string', value: 'MODEL', description: 'codex exec -m.' },
  { name: 'profile', short: 'p', type: 'string', value: 'NAME', description: 'codex exec -p.' },
  { name: 'cd', short: 'C', type: 'string', value: 'DIR', description: 'Folder the workers work in (codex exec -C). Default: the current folder.' },
  { name: 'config', short: 'c', type: 'string', multiple: true, value: 'KEY=VALUE', description: 'Codex config override (codex exec -c).' },
  { name: 'codex-bin', type: 'string', value: 'PATH', description: 'The codex executable. Default: $CODEX_BIN, else `codex` on PATH.' },
  { name: 'yolo', type: 'boolean', description: 'Turn approvals and the sandbox off (--dangerously-bypass-approvals-and-sandbox). Only in an outer sandbox.' },
  { name: 'run-dir', type: 'string', value: 'DIR', description: `Where to record the run. Default: ${runsDir}/<timestamp>-<id>/.` },
  { name: 'resume', type: 'string', value: 'RUN_DIR', description: 'Re-run, in that run folder, the workers that did not succeed.' },
  { name: 'dry-run', type: 'boolean', description: 'Print the plan matrix (worker, role, lenses, sandbox, cwd, prompt size, command); run nothing.' },
  { name: 'format', type: 'string', value: 'FORMAT', choices: ['text', 'json'], default: 'text', description: 'json prints the run summary (or the dry-run matrix) for machines.' },
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
  const templates = await loadCliTemplates(scanTemplatesFlag(argv), io);
  const first = argv[0];
  const roleName = first !== undefined && !first.startsWith('-') ? first : undefined;
  let promptFlags: FlagSpec[];
  if (roleName !== undefined) {
    const role = templates.roles[roleName];
    if (!role) {
      const unusable = unusableReason(templates, 'role', roleName);
      if (unusable !== undefined) throw new UsageError(`run: ${unusable}`);
      const names = Object.keys(templates.roles).sort();
      throw new UsageError(`run: unknown role \`${roleName}\`, expected one of ${names.map((n) => `\`${n}\``).join(', ')}${didYouMean(roleName, names)}`);
    }
    promptFlags = promptFlagTable(role, templates);
    const clash = role.parameters.find((p) => runnerFlags.some((f) => f.name === p.name));
    if (clash) throw new UsageError(`run: role \`${roleName}\` has a parameter \`--${clash.name}\`, which is also a runner flag; rename the parameter to run it with \`orch-prompt run\``);
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
  resume?: { runDir: string; manifest: Manifest };
}

async function execute(input: ExecuteInput): Promise<number> {
  const { args, io, templates, roleName } = input;
  const flags = args.flags;
  const resumeDir = stringFlag(flags, 'resume');
  if (resumeDir !== undefined && input.resume === undefined) return resumeRun(resolve(io.cwd, resumeDir), input);

  const plan = stringFlag(flags, 'plan');
  const eachLens = listFlag(flags, 'each-lens');
  if (eachLens.length > 0 && roleName === undefined) throw new UsageError('run: --each-lens needs a role');
  if (roleName !== undefined && plan !== undefined) throw new UsageError('run: give a role or --plan, not both');
  if (roleName === undefined && plan === undefined) throw new UsageError('run: expected a role (`orch-prompt run reviewer ...`), --plan FILE or --resume RUN_DIR');

  const settings = settingsFrom(flags, io);
  const cwd = resolve(io.cwd, stringFlag(flags, 'cd') ?? '.');
  if (!existsSync(cwd)) throw new UsageError(`run: --cd ${stringFlag(flags, 'cd') ?? ''}: no such folder`);
  const structured = settings.structured;

  let source: WorkSource;
  if (roleName !== undefined) {
    const role = templates.roles[roleName] as NonNullable<TemplateSet['roles'][string]>;
    const options: RenderOptions = await promptOptions(role, templates, flags, io.cwd);
    source = { kind: 'role', role: roleName, options, eachLens };
  } else {
    const file = resolve(io.cwd, plan as string);
    const context = await contextFromFlags(templates, flags, io.cwd);
    source = { kind: 'plan', plan: await asUsage(async () => loadPlan(file, plan as string)), file: plan as string, context };
  }
  const workers = await asUsage(async () => buildWorkers(source, { templates, cwd, synthesize: settings.merge && !structured, structured }));

  const runDir = input.resume?.runDir ?? resolve(io.cwd, stringFlag(flags, 'run-dir') ?? join(runsDir, newRunId()));
  const records = workers.map((w) => newRecord(runDir, w.spec, settings));
  const format = stringFlag(flags, 'format') ?? 'text';
  for (const w of workers) for (const warning of w.warnings) io.stderr.write(`${program}: warning: ${w.spec.id}: ${warning}\n`);
  if (flags['dry-run'] === true) {
    io.stdout.write(format === 'json' ? `${JSON.stringify(dryRunJson(workers, records), null, 2)}\n` : dryRunText(workers, records));
    return 0;
  }

  if (!input.resume && existsSync(join(runDir, 'manifest.json'))) {
    throw new UsageError(`run: ${runDir} already holds a run; continue it with --resume ${runDir}, or choose another --run-dir`);
  }
  const manifest: Manifest = input.resume
    ? reuse(input.resume.manifest, records, settings)
    : {
        version: 1,
        id: runDir.split(/[\\/]/).pop() as string,
        startedAt: new Date().toISOString(),
        finishedAt: null,
        status: 'running',
        runnerPid: process.pid,
        cwd,
        invokedFrom: io.cwd,
        argv: [...input.argv],
        options: settings,
        workers: records,
      };
  const progress = await createProgress(io.stderr, manifest.workers);
  // A runner dying of an uncaught error must not leave detached workers behind.
  const killAll = (): void => {
    for (const pid of live) signalTree(pid, 'SIGKILL');
  };
  process.once('exit', killAll);
  // The first Ctrl-C stops the workers gracefully (through io.signal); a second one does not
  // wait for the grace period. Listening also keeps Node from dying on it with workers alive.
  let signals = 0;
  const onSignal = (): void => {
    if (++signals > 1) killAll();
  };
  if (io.signal) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  let outcome;
  try {
    outcome = await runWorkers({
      runDir,
      manifest,
      workers,
      settings,
      env: io.env,
      ...(io.signal ? { signal: io.signal } : {}),
      graceMs: durationFlag(flags, 'grace') ?? 5000,
      retryDelayMs: durationFlag(flags, 'retry-delay') ?? 2000,
      onUpdate: (record, activity) => progress.update(record, activity),
    });
  } finally {
    progress.stop();
    process.off('exit', killAll);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (settings.merge && structured && !outcome.canceled) {
    manifest.merged = writeMerged(runDir, mergeStructured(runDir, manifest));
    writeManifest(runDir, manifest);
  }
  io.stdout.write(format === 'json' ? `${JSON.stringify(summaryJson(runDir, manifest), null, 2)}\n` : summaryText(runDir, manifest));
  if (outcome.canceled) return 130;
  return manifest.status === 'succeeded' ? 0 : 1;
}

/** Flags that may change on `--resume`; anything else would silently change the work. */
const resumeOverrides = ['format', 'max-parallel', 'timeout', 'retries', 'grace', 'fail-fast', 'dry-run'];

/** `--resume RUN_DIR`: the stored command line again, in the same folder, skipping successes. */
async function resumeRun(runDir: string, input: ExecuteInput): Promise<number> {
  const changed = input.argv
    .filter((arg) => arg.startsWith('--'))
    .map((arg) => arg.slice(2).split('=')[0] as string)
    .filter((name) => name !== 'resume' && !resumeOverrides.includes(name));
  if (changed.length > 0 || input.args.positionals.length > 0) {
    const what = changed.length > 0 ? `--${changed[0]}` : `\`${input.args.positionals[0]}\``;
    throw new UsageError(`run: --resume replays the stored run; ${what} cannot change it (only ${resumeOverrides.map((n) => `--${n}`).join(', ')} may be given)`);
  }
  const manifest = await asUsage(async () => readManifest(runDir));
  if (manifest === null) throw new UsageError(`run: --resume ${runDir}: no manifest.json there`);
  if (manifest.status === 'running' && manifest.runnerPid !== process.pid) {
    if (alive(manifest.runnerPid)) throw new UsageError(`run: --resume ${runDir}: that run is still running (pid ${manifest.runnerPid})`);
  }
  const dryRun = input.args.flags['dry-run'] === true;
  // Workers of a runner that died may still run (they are detached): end them first, or a
  // resumed writer could run beside its own orphan. A dry run only looks.
  if (!dryRun) {
    for (const w of manifest.workers) {
      if (w.status === 'running' && w.pid !== null) await endStaleWorker(w.pid, join(runDir, w.files.lastMessage), 2000);
    }
  }
  const stored = manifest.argv;
  const io: CliIo = { ...input.io, cwd: manifest.invokedFrom };
  const command = await specialise(stored, io);
  const args = parseFlags(stored, command.flags, { command: 'run', maxPositionals: 1 });
  // The output format and the limits may change on resume; the work itself may not.
  for (const name of resumeOverrides) {
    if (input.argv.some((a) => a === `--${name}` || a.startsWith(`--${name}=`))) args.flags[name] = input.args.flags[name];
  }
  args.flags['run-dir'] = runDir;
  const roleName = stored[0] !== undefined && !stored[0].startsWith('-') ? stored[0] : undefined;
  return execute({ argv: stored, args, io, templates: await loadCliTemplates(scanTemplatesFlag(stored), io), roleName, resume: { runDir, manifest } });
}

function reuse(previous: Manifest, fresh: WorkerRecord[], settings: RunSettings): Manifest {
  const workers = fresh.map((record) => {
    const old = previous.workers.find((w) => w.id === record.id);
    if (old?.status === 'succeeded') return old;
    return { ...record, attempts: old?.attempts ?? 0 };
  });
  return { ...previous, status: 'running', finishedAt: null, runnerPid: process.pid, options: settings, workers };
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
    retries: Number(stringFlag(flags, 'retries') ?? 0),
    failFast: flags['fail-fast'] === true,
  };
  const model = stringFlag(flags, 'model');
  if (model !== undefined) settings.model = model;
  const profile = stringFlag(flags, 'profile');
  if (profile !== undefined) settings.profile = profile;
  return settings;
}

function durationFlag(flags: FlagValues, name: string): number | undefined {
  const text = stringFlag(flags, name);
  if (text === undefined) return undefined;
  const ms = parseDuration(text);
  if (ms === null) throw new UsageError(`run: --${name} takes a duration such as 90, 90s, 5m or 1500ms, got \`${text}\``);
  return ms;
}

async function asUsage<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof PlanError) throw new UsageError(`run: ${error.message}`);
    if (error instanceof ManifestError) throw new UsageError(`run: ${error.message}`);
    throw error;
  }
}

function dryRunJson(workers: readonly PlannedWorker[], records: readonly WorkerRecord[]): unknown[] {
  return records.map((r, i) => ({
    id: r.id,
    stage: r.stageName,
    role: r.role,
    lenses: r.lenses,
    sandbox: r.sandbox,
    cwd: r.cwd,
    promptBytes: r.promptBytes,
    receives: workers[i]?.spec.inputs ?? null,
    command: r.command,
  }));
}

function dryRunText(workers: readonly PlannedWorker[], records: readonly WorkerRecord[]): string {
  const rows = records.map((r, i) => [
    r.id,
    r.stageName,
    r.role,
    r.lenses.join(',') || '-',
    r.sandbox,
    r.cwd,
    `${r.promptBytes} B${workers[i]?.renderWith ? '+' : ''}`,
  ]);
  const head = ['worker', 'stage', 'role', 'lenses', 'sandbox', 'cwd', 'prompt'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] as number)).join('  ').trimEnd();
  const commands = records.map((r) => `  ${r.id}: ${shellQuote(r.command)} < ${r.files.prompt}`);
  const note = workers.some((w) => w.renderWith) ? ['', '+ the prompt grows by the earlier stages\' final messages when its stage starts.'] : [];
  return [line(head), ...rows.map(line), ...note, '', 'Commands (prompt on stdin):', ...commands, ''].join('\n');
}

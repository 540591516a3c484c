import { appendFileSync, writeFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { execa } from 'execa';
import { attemptMarkers } from '../local/local-executor.js';
import type { AttemptInput, Executor } from '../executor/executor.js';
import { initialEventState } from '../local/events.js';
import type { CloudExecutor, CloudRecord, CloudTaskRecord } from '../record/model.js';
import type { AttemptResult } from '../local/spawn-worker.js';
import { cloudError, runCloud } from './cloud-cli.js';
import { cloudExecArgs, newCloudRecord } from './cloud-command.js';
import { isTerminal, parseStatus, parseSubmitted, type StatusRead } from './cloud-output.js';
import { writeCloudMessage } from './cloud-message.js';

/** Without `--timeout`, a cloud worker stops waiting for its task after this long. */
export const defaultCloudTimeoutMs = 3_600_000;
/** Without `--poll`, the first wait between two status reads. */
export const defaultCloudPollMs = 10_000;
/** The wait between status reads grows by half each time, up to this. */
const maxPollMs = 60_000;
/** One `codex cloud` call may take this long (a call that hangs is not a status). */
const callTimeoutMs = 120_000;
/** Status reads that fail in a row before the attempt fails (one network hiccup is not a failure). */
const maxReadErrors = 5;
/** The largest diff collected (a larger one stays in the cloud: `codex cloud diff` shows it). */
const maxDiffBytes = 64 * 1024 * 1024;

/**
 * The cloud executor: each attempt sends the prompt as a Codex Cloud task (`codex cloud exec
 * --env ENV --attempts N [--branch B] -`, prompt on stdin), records the task id at once, then
 * polls `codex cloud status` with a growing wait until a terminal state has been read twice in a
 * row (one read may be stale) or the timeout, and collects `codex cloud diff --attempt N` of every
 * attempt into the worker's folder. A task still pending from an earlier session (Ctrl-C, a dead
 * runner) is polled again, never sent twice. Stopping (Ctrl-C, timeout) stops the polling only:
 * the task keeps running in the cloud, and the record says so.
 */
export const cloudExecutor: Executor = {
  async attempt(input: AttemptInput): Promise<AttemptResult> {
    const started = Date.now();
    const { record, attempt, paths, settings } = input;
    const executor = input.spec.executor as CloudExecutor;
    const cloud: CloudRecord = (record.cloud ??= newCloudRecord(executor));
    const state = initialEventState();
    const result = (outcome: AttemptResult['outcome'], error: string | null, transient = false): AttemptResult => ({
      outcome,
      exitCode: outcome === 'succeeded' ? 0 : null,
      error,
      transient,
      state,
      durationMs: Date.now() - started,
      violations: [],
    });
    const markers = attemptMarkers(attempt);
    writeFileSync(paths.events, attempt.n > 1 ? markers.events : '', { flag: attempt.n > 1 ? 'a' : 'w' });
    writeFileSync(paths.stderr, attempt.n > 1 ? markers.stderr : '', { flag: attempt.n > 1 ? 'a' : 'w' });
    const event = (type: string, fields: Record<string, unknown>): void => appendFileSync(paths.events, `${JSON.stringify({ type: `orch.cloud.${type}`, at: new Date().toISOString(), ...fields })}\n`);
    const log = (args: readonly string[], call: { stdout: string; stderr: string }): void => {
      appendFileSync(paths.stderr, `$ codex cloud ${args.join(' ')}\n${call.stderr}${call.stderr.endsWith('\n') || call.stderr === '' ? '' : '\n'}`);
    };
    // Codex writes its error.log into the folder it runs in: the worker's folder, never the project.
    const call = async (args: string[], extra: { input?: string; maxBytes?: number } = {}) => {
      const done = await runCloud(settings.codexBin, args, {
        cwd: paths.dir,
        env: input.env,
        signal: input.signal,
        timeoutMs: callTimeoutMs,
        maxBytes: extra.maxBytes ?? 1024 * 1024,
        ...(extra.input !== undefined ? { input: extra.input } : {}),
      });
      log(args, done);
      return done;
    };

    const stopped = (): AttemptResult => result('canceled', 'canceled');
    let task = cloud.tasks.at(-1);
    if (task === undefined || task.state !== 'pending') {
      // The cloud checks out a branch: the one asked for, else the project's current branch.
      if (cloud.branch === null) {
        cloud.branch = await currentBranch(input.spec.cwd, input.env);
        if (cloud.branch !== null) record.command = [settings.codexBin, ...cloudExecArgs({ ...executor, branch: cloud.branch })];
      }
      // The recorded command starts with `cloud`, which runCloud adds itself.
      const args = cloudExecArgs({ env: cloud.env, attempts: cloud.attempts, ...(cloud.branch !== null ? { branch: cloud.branch } : {}) }).slice(1);
      input.onActivity('sending the task to Codex Cloud');
      const sent = await call(args, { input: input.spec.prompt });
      if (input.signal.aborted && sent.exitCode === null) return stopped();
      const created = sent.exitCode === 0 ? parseSubmitted(sent.stdout) : null;
      if (created === null) {
        const why = sent.exitCode === 0 ? `no task id in its output: ${JSON.stringify(sent.stdout.trim().slice(0, 200))}` : cloudError(sent);
        event('send-failed', { error: why });
        return result('failed', `codex cloud exec failed: ${why}`, sent.failure === null && /\b(429|5\d\d)\b|timed out|connection/i.test(why));
      }
      task = { id: created.id, url: created.url, sentBy: attempt.n, submittedAt: new Date().toISOString(), state: 'pending', statusLine: null, polls: 0, diffs: [] };
      cloud.tasks.push(task);
      state.threadId = task.id;
      event('sent', { task: task.id, url: task.url });
      input.save();
    } else {
      event('resumed', { task: task.id });
    }
    const current: CloudTaskRecord = task;
    state.threadId = current.id;
    input.onActivity(`task ${current.id} sent; waiting`);

    // Poll until a terminal state is read twice in a row, or the timeout.
    const deadline = started + (settings.timeoutMs > 0 ? settings.timeoutMs : defaultCloudTimeoutMs);
    const firstWait = settings.cloudPollMs ?? defaultCloudPollMs;
    let wait = firstWait;
    let readErrors = 0;
    let lastRead: StatusRead | null = null;
    let confirmed = false;
    while (!confirmed) {
      const status = await call(['status', current.id]);
      if (input.signal.aborted) return stopped();
      const read = parseStatus(status.stdout);
      current.polls += 1;
      if (read === null) {
        readErrors += 1;
        event('status-unreadable', { task: current.id, error: cloudError(status) });
        if (readErrors >= maxReadErrors) return result('failed', `codex cloud status ${current.id}: ${cloudError(status)} (${readErrors} reads in a row failed; the task may still run: codex cloud status ${current.id})`, true);
      } else {
        readErrors = 0;
        event('status', { task: current.id, state: read.state, lines: read.lines });
        // A terminal state counts once a second read says the same: a read may be stale.
        confirmed = lastRead !== null && isTerminal(read.state) && lastRead.state === read.state;
        lastRead = read;
        current.state = read.state === 'pending' || confirmed ? read.state : current.state;
        current.statusLine = read.lines[0] ?? null;
        input.onActivity(`${read.lines[0] ?? read.state} (task ${current.id})`);
        input.save();
        if (confirmed) break;
      }
      const terminalOnce = lastRead !== null && isTerminal(lastRead.state);
      const pause = terminalOnce ? firstWait : wait;
      if (Date.now() + pause > deadline) {
        const line = lastRead?.lines[0] ?? 'no status read';
        return result('timed-out', `timed out after ${Math.round((Date.now() - started) / 100) / 10} s waiting for Codex Cloud task ${current.id} (last status: ${line}); it may still run: codex cloud status ${current.id}`);
      }
      if (!(await pauseFor(pause, input.signal))) return stopped();
      if (!terminalOnce) wait = Math.min(Math.round(wait * 1.5), maxPollMs);
    }

    const final = lastRead as StatusRead;
    if (final.state === 'error') {
      return result('failed', `Codex Cloud task ${current.id} failed: ${final.lines[0] ?? '[ERROR]'} (see ${current.url ?? `codex cloud status ${current.id}`})`);
    }
    // Ready (or applied by hand already): the diff of every attempt goes into the worker's folder.
    input.onActivity(`collecting the diffs of task ${current.id}`);
    current.diffs = [];
    for (let n = 1; n <= cloud.attempts; n++) {
      const diff = await call(['diff', current.id, '--attempt', String(n)], { maxBytes: maxDiffBytes });
      if (input.signal.aborted) return stopped();
      const file = `${record.id}/${current.id}-attempt-${n}.diff`;
      if (diff.exitCode === 0) {
        writeFileSync(`${paths.dir}/${current.id}-attempt-${n}.diff`, diff.stdout);
        current.diffs.push({ attempt: n, file, error: null });
      } else {
        current.diffs.push({ attempt: n, file: null, error: cloudError(diff) });
      }
      event('diff', { task: current.id, attempt: n, ...(diff.exitCode === 0 ? { file, bytes: Buffer.byteLength(diff.stdout) } : { error: cloudError(diff) }) });
    }
    writeCloudMessage(paths.lastMessage, paths.dir, current, final.lines);
    input.save();
    return result('succeeded', null);
  },
};

/** The branch checked out in `cwd`, or null (not a git work tree, a detached HEAD, no git). */
async function currentBranch(cwd: string, env: Readonly<Record<string, string | undefined>>): Promise<string | null> {
  const found = await execa('git', ['symbolic-ref', '--short', '-q', 'HEAD'], { cwd, env: { ...env }, extendEnv: false, reject: false, timeout: 10_000 });
  const branch = typeof found.stdout === 'string' ? found.stdout.trim() : '';
  return found.exitCode === 0 && branch !== '' ? branch : null;
}

/** Wait unless `signal` stops the run first; false when it did. */
async function pauseFor(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  await delay(ms, undefined, { signal }).catch(() => undefined);
  return !signal.aborted;
}

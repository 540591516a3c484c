import { appendFileSync, writeFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import type { AttemptInput, AttemptResult } from '../executor/executor.js';
import type { ExecutorRecord } from '../record/model.js';
import { attemptMarkers } from '../record/worker-files.js';
import { cloudError, runCloud, type CloudCall } from './cloud-cli.js';
import { cloudExecArgs } from './cloud-command.js';
import { writeCloudMessage } from './cloud-message.js';
import { isTerminal, parseStatus, parseSubmitted, type StatusRead } from './cloud-output.js';
import type { CloudRecord, CloudTaskRecord } from './model.js';
import { cloudSettings } from './settings.js';

/** Without a timeout, a cloud worker stops waiting for its task after this long. */
export const defaultCloudTimeoutMs = 3_600_000;
/** The wait between status reads grows by half each time, up to this. */
const maxPollMs = 60_000;
/** One `codex cloud` call may take this long (a call that hangs is not a status). */
const callTimeoutMs = 120_000;
/** Status reads that fail in a row before the attempt fails (one network hiccup is not a failure). */
const maxReadErrors = 5;
/** The largest diff collected (a larger one stays in the cloud: `codex cloud diff` shows it). */
const maxDiffBytes = 64 * 1024 * 1024;

type Ending = Pick<AttemptResult, 'outcome' | 'error' | 'transient'>;

/** One attempt's dealings with Codex Cloud: its calls, logged in the worker's files. */
class CloudSession {
  readonly started = Date.now();
  threadId: string | null = null;

  constructor(readonly input: AttemptInput) {
    const markers = attemptMarkers(input.attempt);
    const later = input.attempt.n > 1;
    writeFileSync(input.paths.events, later ? markers.events : '', { flag: later ? 'a' : 'w' });
    writeFileSync(input.paths.stderr, later ? markers.stderr : '', { flag: later ? 'a' : 'w' });
  }

  get record(): CloudRecord {
    return this.input.record.executor as unknown as CloudRecord;
  }

  /** The runner's own event in `events.jsonl` (`orch.cloud.<type>`). */
  event(type: string, fields: Record<string, unknown>): void {
    appendFileSync(this.input.paths.events, `${JSON.stringify({ type: `orch.cloud.${type}`, at: new Date().toISOString(), ...fields })}\n`);
  }

  /** One `codex cloud` call, run in the worker's folder (so Codex's error.log lands there), logged. */
  async call(args: string[], extra: { input?: string; maxBytes?: number } = {}): Promise<CloudCall> {
    const { input } = this;
    const done = await runCloud(input.settings.codexBin, args, {
      cwd: input.paths.dir,
      env: input.env,
      signal: input.signal,
      timeoutMs: callTimeoutMs,
      maxBytes: extra.maxBytes ?? 1024 * 1024,
      ...(extra.input !== undefined ? { input: extra.input } : {}),
    });
    appendFileSync(input.paths.stderr, `$ codex cloud ${args.join(' ')}\n${done.stderr}${done.stderr.endsWith('\n') || done.stderr === '' ? '' : '\n'}`);
    return done;
  }

  save(): void {
    this.input.report.record(this.record as unknown as ExecutorRecord);
  }

  result(ending: Ending): AttemptResult {
    return { ...ending, exitCode: ending.outcome === 'succeeded' ? 0 : null, threadId: this.threadId, usage: null, durationMs: Date.now() - this.started, violations: [] };
  }
}

/**
 * One attempt of a cloud worker: send the prompt as a Codex Cloud task (or, when one is still
 * pending from an earlier session, poll that one again: it is never sent twice), poll its status
 * until a terminal state has been read twice in a row, and collect every attempt's diff.
 * Stopping stops the polling only: the task keeps running in the cloud, and the record says so.
 */
export async function cloudAttempt(input: AttemptInput): Promise<AttemptResult> {
  const session = new CloudSession(input);
  const canceled: Ending = { outcome: 'canceled', error: 'canceled', transient: false };
  let task = session.record.tasks.at(-1);
  if (task === undefined || task.state !== 'pending') {
    const sent = await sendTask(session);
    if ('outcome' in sent) return session.result(sent);
    task = sent;
  } else session.event('resumed', { task: task.id });
  session.threadId = task.id;
  input.report.activity(`task ${task.id} sent; waiting`);
  const final = await pollTask(session, task);
  if ('outcome' in final) return session.result(final);
  if (final.state === 'error') return session.result({ outcome: 'failed', error: `Codex Cloud task ${task.id} failed: ${final.lines[0] ?? '[ERROR]'} (see ${task.url ?? `codex cloud status ${task.id}`})`, transient: false });
  // Ready (or applied by hand already): the diff of every attempt goes into the worker's folder.
  if (!(await collectDiffs(session, task))) return session.result(canceled);
  writeCloudMessage(input.paths.lastMessage, input.paths.dir, task, final.lines);
  session.save();
  return session.result({ outcome: 'succeeded', error: null, transient: false });
}

/** Send the task (`codex cloud exec`), recording its id at once; or how sending failed. */
async function sendTask(session: CloudSession): Promise<CloudTaskRecord | Ending> {
  const { input, record: cloud } = session;
  // The recorded command starts with `cloud`, which runCloud adds itself.
  const args = cloudExecArgs({ env: cloud.env, attempts: cloud.attempts, ...(cloud.branch !== null ? { branch: cloud.branch } : {}) }).slice(1);
  input.report.activity('sending the task to Codex Cloud');
  const sent = await session.call(args, { input: input.spec.prompt });
  if (input.signal.aborted && sent.exitCode === null) return { outcome: 'canceled', error: 'canceled', transient: false };
  const created = sent.exitCode === 0 ? parseSubmitted(sent.stdout) : null;
  if (created === null) {
    const why = sent.exitCode === 0 ? `no task id in its output: ${JSON.stringify(sent.stdout.trim().slice(0, 200))}` : cloudError(sent);
    session.event('send-failed', { error: why });
    return { outcome: 'failed', error: `codex cloud exec failed: ${why}`, transient: sent.failure === null && /\b(429|5\d\d)\b|timed out|connection/i.test(why) };
  }
  const task: CloudTaskRecord = { id: created.id, url: created.url, sentBy: input.attempt.n, submittedAt: new Date().toISOString(), state: 'pending', statusLine: null, polls: 0, diffs: [] };
  cloud.tasks.push(task);
  session.event('sent', { task: task.id, url: task.url });
  session.save();
  return task;
}

/** Poll `codex cloud status` with a growing wait until a terminal state is read twice, or the timeout. */
async function pollTask(session: CloudSession, task: CloudTaskRecord): Promise<StatusRead | Ending> {
  const { input } = session;
  const deadline = session.started + (input.settings.timeoutMs > 0 ? input.settings.timeoutMs : defaultCloudTimeoutMs);
  const firstWait = cloudSettings(input.settings).pollMs;
  let wait = firstWait;
  let readErrors = 0;
  let lastRead: StatusRead | null = null;
  for (;;) {
    const status = await session.call(['status', task.id]);
    if (input.signal.aborted) return { outcome: 'canceled', error: 'canceled', transient: false };
    const read = parseStatus(status.stdout);
    task.polls += 1;
    if (read === null) {
      readErrors += 1;
      session.event('status-unreadable', { task: task.id, error: cloudError(status) });
      if (readErrors >= maxReadErrors) return { outcome: 'failed', error: `codex cloud status ${task.id}: ${cloudError(status)} (${readErrors} reads in a row failed; the task may still run: codex cloud status ${task.id})`, transient: true };
    } else {
      readErrors = 0;
      session.event('status', { task: task.id, state: read.state, lines: read.lines });
      // A terminal state counts once a second read says the same: a read may be stale.
      const confirmed = lastRead !== null && isTerminal(read.state) && lastRead.state === read.state;
      lastRead = read;
      task.state = read.state === 'pending' || confirmed ? read.state : task.state;
      task.statusLine = read.lines[0] ?? null;
      input.report.activity(`${read.lines[0] ?? read.state} (task ${task.id})`);
      session.save();
      if (confirmed) return read;
    }
    const terminalOnce = lastRead !== null && isTerminal(lastRead.state);
    const pause = terminalOnce ? firstWait : wait;
    if (Date.now() + pause > deadline) {
      const line = lastRead?.lines[0] ?? 'no status read';
      return { outcome: 'timed-out', error: `timed out after ${Math.round((Date.now() - session.started) / 100) / 10} s waiting for Codex Cloud task ${task.id} (last status: ${line}); it may still run: codex cloud status ${task.id}`, transient: false };
    }
    await delay(pause, undefined, { signal: input.signal }).catch(() => undefined);
    if (input.signal.aborted) return { outcome: 'canceled', error: 'canceled', transient: false };
    if (!terminalOnce) wait = Math.min(Math.round(wait * 1.5), maxPollMs);
  }
}

/** `codex cloud diff --attempt N` of every attempt into the worker's folder; false when stopped. */
async function collectDiffs(session: CloudSession, task: CloudTaskRecord): Promise<boolean> {
  const { input } = session;
  input.report.activity(`collecting the diffs of task ${task.id}`);
  task.diffs = [];
  for (let n = 1; n <= session.record.attempts; n++) {
    const diff = await session.call(['diff', task.id, '--attempt', String(n)], { maxBytes: maxDiffBytes });
    if (input.signal.aborted) return false;
    const file = `${input.record.id}/${task.id}-attempt-${n}.diff`;
    if (diff.exitCode === 0) {
      writeFileSync(`${input.paths.dir}/${task.id}-attempt-${n}.diff`, diff.stdout);
      task.diffs.push({ attempt: n, file, error: null });
    } else task.diffs.push({ attempt: n, file: null, error: cloudError(diff) });
    session.event('diff', { task: task.id, attempt: n, ...(diff.exitCode === 0 ? { file, bytes: Buffer.byteLength(diff.stdout) } : { error: cloudError(diff) }) });
  }
  return true;
}

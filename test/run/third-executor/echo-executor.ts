import { readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { UserError } from '../../../src/errors/index.js';
import type { Executor } from '../../../src/run/index.js';

// A third executor, written as someone adding one would: this folder holds all of it, and the
// registry gains one line (the tests add it with a mock of `src/run/executors.ts`). It answers
// every worker with `GREETING: ` and the prompt's first line, after `echo-delay` ms, and counts
// its answers in its part of the worker's record.

interface EchoConfig {
  greeting: string;
}

interface EchoRecord {
  kind: 'echo';
  greeting: string;
  answers: number;
}

const usage = { input_tokens: 10, cached_input_tokens: 0, output_tokens: 5 };

const delayOf = (settings: { executors: Record<string, Record<string, unknown>> }): number => (settings.executors['echo']?.['delayMs'] as number | undefined) ?? 0;

export const echoExecutor: Executor<EchoConfig> = {
  kind: 'echo',
  summary: 'an echo of the prompt (echo:GREETING)',
  settings: [{ name: 'echo-delay', key: 'delayMs', type: { kind: 'integer', min: 0, max: 60_000 }, default: 0, resume: true, value: 'MS', description: 'How long the echo takes to answer.' }],
  planKeys: { greeting: { type: 'string', minLength: 1, maxLength: 40 } },
  configure({ keys, arg, where }) {
    const greeting = (keys['greeting'] as string | undefined) ?? arg;
    if (greeting === undefined) throw new UserError('usage', `run: ${where}: an echo worker needs a greeting: --executor echo:WORD or \`greeting:\``);
    return { greeting };
  },
  recordSchema: { type: 'object', required: ['kind', 'greeting', 'answers'], properties: { kind: { const: 'echo' }, greeting: { type: 'string' }, answers: { type: 'integer', minimum: 0 } } },
  newRecord: (spec) => ({ kind: 'echo', greeting: (spec.executor.config as EchoConfig).greeting, answers: 0 }),
  continueRecord: (previous) => previous,
  command: (spec) => ['echo', (spec.executor.config as EchoConfig).greeting],
  sandbox: (spec) => spec.sandbox,
  resume: (record) => ({ greeting: (record.executor as unknown as EchoRecord).greeting }),
  async attempt(input) {
    const started = Date.now();
    const record = input.record.executor as unknown as EchoRecord;
    input.report.progress({ threadId: `echo-${input.spec.id}`, usage: usage, activity: 'echoing', important: true });
    try {
      await sleep(delayOf(input.settings), undefined, { signal: input.signal });
    } catch {
      return { outcome: 'canceled', exitCode: null, error: 'stopped', transient: false, threadId: null, usage: null, durationMs: Date.now() - started, violations: [] };
    }
    const firstLine = readFileSync(input.paths.prompt, 'utf8').split('\n')[0];
    writeFileSync(input.paths.lastMessage, `${record.greeting}: ${firstLine}\n`);
    input.report.record({ ...record, answers: record.answers + 1 });
    return { outcome: 'succeeded', exitCode: 0, error: null, transient: false, threadId: `echo-${input.spec.id}`, usage: usage, durationMs: Date.now() - started, violations: [] };
  },
};

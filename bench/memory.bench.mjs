// Memory: one worker streaming 500 MB of events (a fake codex). The runner must stay under
// 150 MB peak RSS (it streams line by line, never holding the stream) and events.jsonl must be
// complete.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, openSync, readSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startBenchModel } from './lib.mjs';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin/orch-prompt.cjs');
const fake = join(root, 'test/fixtures/run/fake-codex/codex');
const scratch = mkdtempSync(join(tmpdir(), 'orch-bench-memory-'));
const mb = Number(process.env.BENCH_EVENTS_MB ?? 500);

// Peak RSS of the runner process itself, reported when it exits.
const preload = join(scratch, 'maxrss.cjs');
const rssFile = join(scratch, 'maxrss');
writeFileSync(preload, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS)));\n`);

// The runner checks the model endpoint before any worker: a loopback model answers it (the
// fake codex never calls it).
const model = await startBenchModel(scratch, () => ({ text: 'done' }));
const runDir = join(scratch, 'run');
const start = Date.now();
await run(process.execPath, ['--require', preload, bin, 'run', 'scout', '--target', 'x', '--set', `codex-bin=${fake}`, '--run-dir', runDir], {
  cwd: scratch,
  env: { ...process.env, ...model.env, FAKE_CODEX_MODE: 'flood', FAKE_CODEX_MB: String(mb), NO_COLOR: '1' },
});
await model.server.close();
model.home.cleanup();
const seconds = (Date.now() - start) / 1000;
const peakMb = Number(readFileSync(rssFile, 'utf8')) / 1024;
const events = join(runDir, 'scout', 'events.jsonl');
const size = statSync(events).size;
// Complete: the last line is the turn.completed the fake codex wrote after the flood.
const fd = openSync(events, 'r');
const tail = Buffer.alloc(4096);
readSync(fd, tail, 0, tail.length, size - tail.length);
closeSync(fd);
const last = JSON.parse(tail.toString('utf8').trimEnd().split('\n').pop());
const complete = last.type === 'turn.completed' && size >= mb * 1024 * 1024;
rmSync(scratch, { recursive: true, force: true });

console.log(`\n## Memory: one worker streaming ${mb} MB of events`);
console.log(`  events.jsonl: ${(size / 1024 / 1024).toFixed(0)} MB, complete: ${complete ? 'yes' : 'NO'} (${seconds.toFixed(1)} s)`);
console.log(`  runner peak RSS: ${peakMb.toFixed(0)} MB (target <= 150 MB) ${peakMb <= 150 && complete ? 'OK' : 'OVER TARGET'}`);

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codexBin, noShellSnapshot } from './mock-model.js';

/** What one real `codex exec` session produced. */
export interface CodexExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The session's final message (`-o`), or null when Codex wrote none. */
  lastMessage: string | null;
  /** `--json` events, parsed. */
  events: Array<Record<string, unknown>>;
}

/**
 * Run the pinned `codex exec --json` with the prompt on stdin, as a user would, and collect its
 * final message. Asynchronous, so a mock model in this process can answer. `args` go before the
 * `-` (e.g. `--sandbox`, `-c key=value`); the shell snapshot is always off. The session is killed after `timeoutMs`. With
 * `json: false` Codex prints for people (its warnings on stderr) and `events` is empty.
 */
export async function codexExec(input: {
  prompt: string;
  args?: readonly string[];
  env: Record<string, string>;
  cwd: string;
  timeoutMs?: number;
  json?: boolean;
}): Promise<CodexExecResult> {
  const scratch = mkdtempSync(join(tmpdir(), 'orch-codex-exec-'));
  const last = join(scratch, 'last.md');
  try {
    const args = ['exec', ...(input.json === false ? [] : ['--json']), '--skip-git-repo-check', ...noShellSnapshot, '-o', last, ...(input.args ?? []), '-'];
    const child = spawn(codexBin, args, { cwd: input.cwd, env: { ...process.env, ...input.env }, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.end(input.prompt);
    // The whole process group: Codex's shells and nested workers go too.
    const timer = setTimeout(() => killGroup(child.pid), input.timeoutMs ?? 90_000);
    const code = await new Promise<number | null>((resolve) => child.on('close', (status) => resolve(status)));
    clearTimeout(timer);
    killGroup(child.pid);
    const events = stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    return { code, stdout, stderr, lastMessage: existsSync(last) ? readFileSync(last, 'utf8') : null, events };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

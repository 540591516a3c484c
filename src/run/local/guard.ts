import { basename } from 'node:path';

/** A worker doing what workers must not do (the recursion guard, the read-only promise). */
export interface GuardViolation {
  kind: 'sub-agent' | 'nested-codex' | 'read-only-edit';
  /** What it did, in a few words. */
  detail: string;
}

/** Words that may stand before the command a shell line runs (`env X=1 npx codex ...`). */
const prefixes = new Set(['env', 'exec', 'command', 'nohup', 'time', 'timeout', 'sudo', 'npx', 'bunx', 'pnpx', 'nice', 'setsid', 'stdbuf', 'xargs']);
const shells = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'fish']);

/** Options of `codex` itself that take a value (the next word). */
const codexValueOptions = new Set(['-c', '--config', '--enable', '--disable', '--remote', '--remote-auth-token-env', '-i', '--image', '-m', '--model', '--local-provider', '-p', '--profile', '-s', '--sandbox', '-C', '--cd', '--add-dir', '-a', '--ask-for-approval']);
/** Codex 0.169's commands that start no session (no model turn): managing, inspecting, applying. */
const codexToolCommands = new Set(['login', 'logout', 'mcp', 'plugin', 'completion', 'update', 'doctor', 'sandbox', 'debug', 'apply', 'a', 'archive', 'delete', 'migrate-rollouts', 'migrate-nfs-db', 'unarchive', 'features', 'help']);
/** Words that ask a command for its help or version only. */
const asksOnly = new Set(['--help', '-h', '--version', '-V']);

/**
 * Whether `codex ARGS` starts a session of its own (a worker becoming an orchestrator): the
 * interactive CLI, `exec`, `review`, `resume`, `fork`, `cloud exec`, a server. `codex --version`,
 * `codex exec --help`, `codex features list` or `codex login status` do not.
 */
function codexStartsSession(args: readonly string[]): boolean {
  if (args.some((arg) => asksOnly.has(arg))) return false;
  let i = 0;
  while (i < args.length && (args[i] as string).startsWith('-')) i += codexValueOptions.has(args[i] as string) ? 2 : 1;
  const command = args[i];
  if (command === undefined) return true;
  if (codexToolCommands.has(command)) return false;
  if (command === 'cloud') return args[i + 1] === 'exec';
  return true;
}

/**
 * Whether a shell command line starts a Codex session (`codex`, `codex exec`, `npx codex ...`,
 * also inside `bash -lc '...'`) or this runner's workers (`orch-prompt run`, the skill script's
 * `run`), which would make a worker an orchestrator. Mentions of the word, as in `grep -rn codex
 * src/`, are not, nor are `codex --version`, `codex exec --help` or `orch-prompt run --dry-run`.
 */
export function commandStartsWorkers(command: string): boolean {
  for (const segment of command.split(/&&|\|\||[;&|\n`()]|\$\(/)) {
    const words = segment.trim().split(/\s+/).map((w) => w.replace(/^['"]+|['"]+$/g, '')).filter(Boolean);
    let i = 0;
    for (;;) {
      const word = words[i];
      if (word === undefined) break;
      const name = basename(word);
      // Assignments, wrappers and their options or durations (`timeout 30s`), `npm exec`.
      if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(word) || prefixes.has(name) || (i > 0 && (word.startsWith('-') || /^\d+[smhd]?$/.test(word)))) {
        i++;
        continue;
      }
      if ((name === 'npm' || name === 'pnpm' || name === 'yarn') && ['exec', 'x', 'dlx'].includes(words[i + 1] ?? '')) {
        i += 2;
        continue;
      }
      if (shells.has(name)) {
        // `bash -lc 'codex exec -'`: what follows -c is a command line of its own.
        const flag = words.findIndex((w, j) => j > i && /^-[a-z]*c[a-z]*$/.test(w));
        if (flag !== -1 && commandStartsWorkers(words.slice(flag + 1).join(' '))) return true;
        break;
      }
      if (/^codex(\.js|\.exe)?$/.test(name)) {
        if (codexStartsSession(words.slice(i + 1))) return true;
        break;
      }
      if (/^orch-prompt(\.mjs)?$/.test(name) || ((name === 'node' || name === 'bun') && /orch-prompt(\.mjs)?$/.test(words[i + 1] ?? ''))) {
        const rest = words.slice(name === 'node' || name === 'bun' ? i + 2 : i + 1);
        if (rest[0] === 'run' && !rest.some((w) => asksOnly.has(w) || w === '--dry-run')) return true;
      }
      break;
    }
  }
  return false;
}

/**
 * The guard violation an event of `codex exec --json` shows, if any: a sub-agent started
 * (a `collab_tool_call` item), a command that starts Codex or the runner, or a file change by
 * a worker whose role is read-only.
 */
export function guardViolation(event: Record<string, unknown>, options: { edits: boolean }): GuardViolation | null {
  if (event['type'] !== 'item.started' && event['type'] !== 'item.completed') return null;
  const item = event['item'];
  if (item === null || typeof item !== 'object') return null;
  const { type, tool, command, changes } = item as { type?: unknown; tool?: unknown; command?: unknown; changes?: unknown };
  if (type === 'collab_tool_call') return { kind: 'sub-agent', detail: `started a sub-agent (${typeof tool === 'string' ? tool : 'collab_tool_call'})` };
  if (type === 'command_execution' && typeof command === 'string' && commandStartsWorkers(command)) {
    return { kind: 'nested-codex', detail: `ran \`${command.length > 200 ? `${command.slice(0, 199)}…` : command}\`, which starts workers of its own` };
  }
  if (type === 'file_change' && !options.edits) {
    const paths = Array.isArray(changes) ? changes.map((c) => (c as { path?: unknown }).path).filter((p): p is string => typeof p === 'string') : [];
    return { kind: 'read-only-edit', detail: `changed files${paths.length > 0 ? ` (${paths.slice(0, 3).join(', ')}${paths.length > 3 ? ', ...' : ''})` : ''} although its role is read-only` };
  }
  return null;
}

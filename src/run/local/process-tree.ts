import { readdirSync, readFileSync } from 'node:fs';

/** Every process id in `/proc` (Linux); none elsewhere, where the process-group kill does the work. */
function processIds(): number[] {
  try {
    return readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .map(Number);
  } catch {
    return [];
  }
}

/**
 * Process ids of every descendant of `pid` (Linux `/proc`; elsewhere an empty list, and the
 * process-group kill below does the work). Needed because a worker's own children may start
 * sessions of their own (a PTY), which a process-group signal does not reach.
 */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of processIds()) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // it ended while we looked
    }
    // The command name may hold spaces and parentheses: the parent id follows the last `)`.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const list = children.get(ppid) ?? [];
    list.push(entry);
    children.set(ppid, list);
  }
  const out: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift() as number) ?? []) {
      out.push(child);
      queue.push(child);
    }
  }
  return out;
}

/** The environment variable that marks every process of one worker (inherited by its descendants). */
export const workerMarkVariable = 'ORCH_PROMPT_WORKER';

/**
 * Process ids (Linux `/proc`) whose environment carries `ORCH_PROMPT_WORKER=<mark>`: a worker's
 * descendants, also those that left its session and were reparented away, which neither the
 * process group nor the parent links reach.
 */
export function markedProcesses(mark: string): number[] {
  return processIds().filter((pid) => pid !== process.pid && carriesVariable(pid, workerMarkVariable, mark));
}

/** Whether process `pid` (Linux `/proc`) has `name=value` in its environment; false when it cannot be read. */
export function carriesVariable(pid: number, name: string, value: string): boolean {
  try {
    // A leading NUL lets the first variable match like the others.
    return Buffer.concat([Buffer.from([0]), readFileSync(`/proc/${pid}/environ`), Buffer.from([0])]).includes(Buffer.from(`\0${name}=${value}\0`));
  } catch {
    return false; // ended while we looked, or not ours to read
  }
}

/**
 * Signal a worker's whole tree: its process group (the worker is started as a group leader),
 * every descendant found, and every process carrying the worker's `mark`. Processes already
 * gone are ignored. Returns the ids signalled, to signal again later (SIGKILL after SIGTERM).
 */
export function signalTree(pid: number, signal: NodeJS.Signals, known: readonly number[] = [], mark?: string): number[] {
  const pids = [...new Set([...descendants(pid), ...known, ...(mark === undefined ? [] : markedProcesses(mark))])];
  for (const target of [-pid, pid, ...pids]) {
    try {
      process.kill(target, signal);
    } catch {
      // ESRCH: already gone.
    }
  }
  return pids;
}

/**
 * End a worker left running by a runner that died (SIGKILL, power cut): its recorded process
 * only when `pid` still runs a command line containing `marker` (the worker's unique `-o` path),
 * so that a reused process id is never touched, and every process carrying the worker's `mark`.
 * Returns whether anything was found.
 */
export async function endStaleWorker(pid: number, marker: string, mark: string, graceMs: number): Promise<boolean> {
  let cmdline = '';
  try {
    if (pid > 0) cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    // gone, or no /proc
  }
  const leader = pid > 0 && cmdline.includes(marker) && alive(pid);
  const marked = markedProcesses(mark);
  if (!leader && marked.length === 0) return false;
  const kill = (signal: NodeJS.Signals, known: readonly number[]): number[] => {
    // The leader too: it is waited for below like the rest (signalTree lists only the others).
    if (leader) return [pid, ...signalTree(pid, signal, known, mark)];
    for (const target of known) {
      try {
        process.kill(target, signal);
      } catch {
        // already gone
      }
    }
    return [...known];
  };
  const seen = kill('SIGTERM', marked);
  for (let waited = 0; waited < graceMs && seen.some(alive); waited += 50) await new Promise((r) => setTimeout(r, 50));
  const killed = kill('SIGKILL', [...seen, ...markedProcesses(mark)]);
  // Nothing resumed may start beside an orphan still on its way out.
  await untilGone(killed, 5000);
  return true;
}

/**
 * Wait (at most `limitMs`) until none of `pids` runs any more: a killed process is gone only once
 * the kernel has run its exit, a moment after the signal.
 */
export async function untilGone(pids: readonly number[], limitMs: number): Promise<void> {
  for (let waited = 0; waited < limitMs && pids.some(alive); waited += 20) await new Promise((r) => setTimeout(r, 20));
}

/**
 * Whether a process (or, for a negative id, a process group) still runs. A zombie (ended, not
 * yet reaped by its parent) does not count.
 */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (pid < 0) return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc: trust kill(0)
  }
}

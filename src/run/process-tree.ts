import { readdirSync, readFileSync } from 'node:fs';

/**
 * Process ids of every descendant of `pid` (Linux `/proc`; elsewhere an empty list, and the
 * process-group kill below does the work). Needed because a worker's own children may start
 * sessions of their own (a PTY), which a process-group signal does not reach.
 */
export function descendants(pid: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const children = new Map<number, number[]>();
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // it ended while we looked
    }
    // The command name may hold spaces and parentheses: the parent id follows the last `)`.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(entry));
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

/**
 * Signal a worker's whole tree: its process group (the worker is started as a group leader)
 * and every descendant found. Processes already gone are ignored.
 */
export function signalTree(pid: number, signal: NodeJS.Signals, known: readonly number[] = []): number[] {
  const pids = [...new Set([...descendants(pid), ...known])];
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
 * End a worker left running by a runner that died (SIGKILL, power cut): only when `pid` still
 * runs a command line containing `marker` (the worker's unique `-o` path), so that a reused
 * process id is never touched. Returns whether it was found.
 */
export async function endStaleWorker(pid: number, marker: string, graceMs: number): Promise<boolean> {
  let cmdline: string;
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return false;
  }
  if (!cmdline.includes(marker) || !alive(pid)) return false;
  const seen = signalTree(pid, 'SIGTERM');
  for (let waited = 0; waited < graceMs && alive(pid); waited += 50) await new Promise((r) => setTimeout(r, 50));
  signalTree(pid, 'SIGKILL', seen);
  return true;
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

import type { InstallResult } from '../skill/install.js';
import { terminalSafe } from '../text/terminal.js';

/** A path as printed for people: control characters shown as escapes, on one line. */
export function shownPath(path: string): string {
  return terminalSafe(path, { singleLine: true });
}

/** Lines about what earlier, interrupted runs left beside the skill folder, and what became of it. */
export function leftoverLines(result: InstallResult): string[] {
  const { leftovers, dryRun } = result;
  const would = (done: string, planned: string): string => (dryRun ? planned : done);
  const lines: string[] = [];
  if (leftovers.restored) lines.push(`${would('put back', 'would put back')} the previous folder from ${shownPath(leftovers.restored)} (an earlier run was interrupted mid-swap)`);
  for (const path of leftovers.removed) lines.push(`${would('removed', 'would remove')} ${shownPath(path)}, left by an interrupted run`);
  for (const { from, to } of leftovers.backedUp) lines.push(`${would('kept', 'would keep')} ${shownPath(from)}, left by an interrupted run with changes in it, at ${shownPath(to)}`);
  for (const path of leftovers.inUse) lines.push(`left ${shownPath(path)} alone: the orch-prompt that made it is still running`);
  return lines;
}

/** How a written or removed skill folder is described: `DIR` or `DIR (a link to TARGET)`. */
export function placeName(result: InstallResult): string {
  return result.linkedTo ? `${shownPath(result.dir)} (a link to ${shownPath(result.linkedTo)})` : shownPath(result.dir);
}

/** Lines that follow a write or a removal: where the previous folder was kept, and the leftovers. */
export function aftermathLines(result: InstallResult): string[] {
  const kept = result.backup ? [`${result.dryRun ? 'would keep' : 'kept'} the previous folder at ${shownPath(result.backup)}`] : [];
  return [...kept, ...leftoverLines(result)];
}

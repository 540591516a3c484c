import { terminalSafe } from '../../text/terminal.js';

/**
 * Text for one line of a terminal view: control characters and escape sequences (which a model,
 * Codex or a file name may hold) are shown as visible escapes, never obeyed, and a newline
 * cannot break the line.
 */
export function safeLine(text: string): string {
  return terminalSafe(text, { singleLine: true });
}

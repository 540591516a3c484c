/**
 * Characters that act on a terminal instead of printing: C0 controls except tab and newline
 * (ESC starts every escape sequence, CR rewrites the line, BEL rings), DEL, C1 controls (U+009B
 * is a one-character CSI on some terminals), and the bidirectional overrides and isolates that
 * reorder what follows them.
 */
const unsafe = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const unsafeOrNewline = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Options of {@link terminalSafe}. */
export interface TerminalSafeOptions {
  /** Also show tab and newline as escapes, so the text stays on one line (default `false`). */
  singleLine?: boolean;
}

/**
 * Make text that did not come from this program (a model-chosen command, Codex's error text,
 * a file name, a template value) safe to print to a terminal: every control character is shown
 * as a visible escape (`\x1b`, `\r`, `\u202e`), so nothing it holds can move the cursor, set the
 * window title, clear the screen or reorder the line. Printable text is unchanged.
 */
export function terminalSafe(text: string, options: TerminalSafeOptions = {}): string {
  return text.replace(options.singleLine ? unsafeOrNewline : unsafe, escape);
}

function escape(char: string): string {
  switch (char) {
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
    default: {
      const code = char.charCodeAt(0);
      return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
    }
  }
}

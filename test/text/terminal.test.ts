import { describe, expect, it } from 'vitest';
import { terminalSafe } from '../../src/text/terminal.js';

describe('terminalSafe', () => {
  it('shows escape sequences, carriage returns and bells as visible escapes', () => {
    expect(terminalSafe('\x1b]0;pwned\x07rm -rf')).toBe('\\x1b]0;pwned\\x07rm -rf');
    expect(terminalSafe('ok\rFAKE')).toBe('ok\\rFAKE');
    expect(terminalSafe('a\x9b2Jb\x7f')).toBe('a\\x9b2Jb\\x7f');
  });

  it('shows bidirectional overrides, which reorder what a reader sees', () => {
    expect(terminalSafe('file\u202egpj.exe')).toBe('file\\u202egpj.exe');
  });

  it('keeps printable text, tabs and newlines, unless asked for one line', () => {
    expect(terminalSafe('naïve — 日本 ✔\tx\ny')).toBe('naïve — 日本 ✔\tx\ny');
    expect(terminalSafe('a\nb\tc', { singleLine: true })).toBe('a\\nb\\tc');
  });
});

import type { Command } from './command.js';
import { helpFlag, type FlagSpec } from './flags.js';

/** The program name used in help and messages. */
export const program = 'orch-prompt';

/** `--help` text of a command, generated from its flag table. */
export function formatHelp(command: Pick<Command, 'usage' | 'description' | 'flags' | 'examples'>): string {
  const lines = [`Usage: ${program} ${command.usage}`, ''];
  if (command.description) lines.push(...wrap(command.description, 80), '');
  lines.push('Options:', ...formatFlags([...command.flags, helpFlag]));
  if (command.examples && command.examples.length > 0) {
    lines.push('', 'Examples:', ...command.examples.map((example) => `  ${program} ${example}`));
  }
  return `${lines.join('\n')}\n`;
}

/** Aligned flag lines: `  -o, --out FILE   Write the prompt to FILE.` */
export function formatFlags(flags: readonly FlagSpec[]): string[] {
  const left = flags.map((flag) => {
    const value = flag.type === 'string' ? ` ${flag.value ?? 'VALUE'}` : '';
    return `  ${flag.short ? `-${flag.short}, ` : '    '}--${flag.name}${value}`;
  });
  const width = Math.min(34, Math.max(...left.map((l) => l.length)) + 2);
  return flags.flatMap((flag, i) => {
    const head = left[i] as string;
    let text = flag.description;
    if (flag.choices) text += ` One of: ${flag.choices.join(', ')}.`;
    if (flag.default !== undefined && flag.default !== false) text += ` Default: ${String(flag.default)}.`;
    if (flag.multiple) text += ' Repeatable.';
    const body = wrap(text, 80 - width);
    if (head.length + 2 > width) return [head, ...body.map((l) => ' '.repeat(width) + l)];
    return body.map((l, j) => (j === 0 ? head.padEnd(width) : ' '.repeat(width)) + l);
  });
}

/** Greedy word wrap. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line !== '' && line.length + 1 + word.length > width) {
        lines.push(line);
        line = word;
      } else line = line === '' ? word : `${line} ${word}`;
    }
    lines.push(line);
  }
  return lines;
}

import { quoteList } from '../../text/closest.js';
import { lensSuggestion } from '../../prompt/lenses.js';
import { defineRule } from '../rule.js';
import type { TemplateLintInput } from '../template-input.js';

// `--lens risks`, `--lens=risks,security`, and `LENS: risks` lines (as a prompt prints them).
const lensReference = /(--lens(?:=|[ \t]+))([A-Za-z0-9_-]+(?:,[ \t]*[A-Za-z0-9_-]+)*)|(^[ \t>*+-]*LENS:[ \t]*)([A-Za-z0-9_-]+)/gm;

/**
 * Lens names a template mentions must exist. A template names lenses in example invocations
 * (`--lens risks`) and in `LENS:` lines; a typo there sends the orchestrator to a lens that
 * `orch-prompt` refuses. Known lenses are the built-ins plus every lens being linted.
 */
export default defineRule<TemplateLintInput>({
  id: 'unknown-lens',
  appliesTo: 'template',
  severity: 'error',
  summary: 'Lens names in `--lens NAME` and `LENS: NAME` are known lenses or aliases.',
  messages: {
    unknown: 'unknown lens `{name}`, expected one of {expected}{hint}',
  },
  check(input, report) {
    if (input.kind === undefined) return;
    const body = input.text.slice(input.bodyOffset);
    for (const match of body.matchAll(lensReference)) {
      const prefix = match[1] ?? match[3] ?? '';
      const list = match[2] ?? match[4] ?? '';
      let offset = input.bodyOffset + match.index + prefix.length;
      for (const part of list.split(',')) {
        const lead = part.length - part.trimStart().length;
        const name = part.trim();
        const index = input.lensNames();
        if (name !== '' && !index.has(name.toLowerCase())) {
          const known = [...new Set(index.values())].sort();
          report('unknown', input.pointAt(offset + lead), { name, expected: quoteList(known), hint: lensSuggestion(name, index) });
        }
        offset += part.length + 1;
      }
    }
  },
});

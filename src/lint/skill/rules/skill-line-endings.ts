import { defineRule } from '../../rule.js';
import { isEntryLike, type SkillLintInput } from '../skill-input.js';

/** `SKILL.md` uses LF line endings: Codex's quick_validate.py only finds `---\n` fences. */
export default defineRule<SkillLintInput>({
  id: 'skill-line-endings',
  appliesTo: 'skill',
  severity: 'error',
  summary: '`SKILL.md` has LF line endings and no byte-order mark.',
  messages: {
    crlf: 'line ends with CR LF, expected LF only (quick_validate.py does not find the frontmatter)',
    bom: 'file starts with a byte-order mark, expected `---` as the very first characters',
  },
  check(input, report) {
    if (!isEntryLike(input.file)) return;
    if (input.raw.charCodeAt(0) === 0xfeff) report('bom', { line: 1, column: 1 });
    const cr = input.raw.indexOf('\r');
    // One finding is enough: the whole file is usually converted at once.
    if (cr !== -1) report('crlf', input.pointAt(cr - (input.raw.charCodeAt(0) === 0xfeff ? 1 : 0)));
  },
});

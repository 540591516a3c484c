import { isRecord } from '../../markdown/index.js';
import { defineRule } from '../rule.js';
import { blocksText, isReviewRole, roleSection, sectionPlace } from '../role-text.js';
import type { TemplateLintInput } from '../template-input.js';

const emptyCase = /\b(?:no findings|nothing (?:found|to report)|none found|empty (?:when|if)|if none|when none|when there are none)\b/i;

/**
 * A review-kind role fixes the shape of its answer: an `output-schema`, or an Output section
 * that lists the parts of the answer; and it says what to return when nothing is found, so
 * that "no findings" is a clear result instead of an invented finding or a vague paragraph.
 */
export default defineRule<TemplateLintInput>({
  id: 'review-output-contract',
  appliesTo: 'template',
  severity: 'warn',
  summary: 'A review-kind role defines the shape of its answer and what to return when nothing is found.',
  messages: {
    noShape: 'review role has no output contract, expected an `output-schema` or an Output section that lists the parts of the answer as `- ` items',
    noEmptyCase: 'review role does not say what to return when nothing is found, expected its Output section to say so (e.g. `No findings.`, or an empty list)',
  },
  check(input, report) {
    if (!isReviewRole(input)) return;
    const output = roleSection(input, 'output');
    if (!output) return; // required-section reports it
    const schema = input.data['output-schema'];
    const listed = output.children.some((node) => node.type === 'list');
    if (!isRecord(schema) && !listed) report('noShape', sectionPlace(input, output));
    const said = `${blocksText(output.children)}\n${isRecord(schema) ? JSON.stringify(schema) : ''}`;
    if (!emptyCase.test(said)) report('noEmptyCase', sectionPlace(input, output));
  },
});

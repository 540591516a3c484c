import { defineRule } from '../rule.js';
import { isReviewRole, roleSection, sectionPlace, sectionsText } from '../role-text.js';
import type { TemplateLintInput } from '../template-input.js';

// What a finding can be backed by: a place, a quote, a command's output, a source.
const evidenceWords = /\b(?:evidence|evidenced|file:line|path:line|line numbers?|quotes?|quoted|cites?|citations?|repro(?:duce|duction)?s?|sources?)\b/i;

/**
 * A review-kind role asks for evidence behind each finding. A reviewer told only to "report
 * problems" returns impressions; told to anchor each one in a `file:line`, a quote or a
 * command's output, it checks before it claims, and the orchestrator can check it back.
 */
export default defineRule<TemplateLintInput>({
  id: 'review-evidence',
  appliesTo: 'template',
  severity: 'warn',
  summary: 'A review-kind role asks for evidence behind each finding (a `file:line`, a quote, a command and its output).',
  messages: {
    missing: 'review role never asks for evidence, expected its Do or Output section to say what backs each finding (a `file:line`, a quote, a command and what it printed)',
  },
  check(input, report) {
    if (!isReviewRole(input)) return;
    const schema = JSON.stringify(input.data['output-schema'] ?? '');
    if (evidenceWords.test(sectionsText(input, ['do', 'output'])) || evidenceWords.test(schema)) return;
    report('missing', sectionPlace(input, roleSection(input, 'do')));
  },
});

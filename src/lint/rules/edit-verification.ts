import { defineRule } from '../rule.js';
import { isEditingRole, roleSection, sectionPlace, sectionsText } from '../role-text.js';
import type { TemplateLintInput } from '../template-input.js';

const verifyWords = /\b(?:verify|verif(?:ied|ication)|run (?:the )?(?:tests?|checks?|build|linters?)|tests? pass|type[- ]?check|rerun|re-run)\b/i;

/**
 * An editing role checks its own work before it reports: it runs the relevant tests or checks,
 * fixes what fails and runs them again. Without that step a worker hands back its first draft
 * and "done" means only that it stopped.
 */
export default defineRule<TemplateLintInput>({
  id: 'edit-verification',
  appliesTo: 'template',
  severity: 'warn',
  summary: 'An editing role has a verification step: run the relevant checks, fix what fails, report the results.',
  messages: {
    missing: 'editing role has no verification step, expected its Do section to say to run the relevant checks (tests, build, linters), fix what fails and report the results',
  },
  check(input, report) {
    if (!isEditingRole(input)) return;
    if (verifyWords.test(sectionsText(input, ['do', 'output']))) return;
    report('missing', sectionPlace(input, roleSection(input, 'do')));
  },
});

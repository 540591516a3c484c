import { defineRule } from '../rule.js';
import { blocksText, isEditingRole, roleSection, sectionPlace } from '../role-text.js';
import type { TemplateLintInput } from '../template-input.js';

const scopeWords = /\b(?:scope|unrelated|outside)\b/i;
const destructiveWords = /\b(?:delete|deleting|destructive|irreversible|overwrite|force[- ]push|push|publish|rewrite history|reset)\b/i;

/**
 * An editing role's Don't section is a list that keeps the worker narrow and safe: no edits
 * outside its scope or unrelated to the task, and no destructive or irreversible action (delete,
 * push, publish) the task did not ask for. These are the mistakes a capable worker makes by
 * being helpful; saying them is what prevents them.
 */
export default defineRule<TemplateLintInput>({
  id: 'edit-dont-list',
  appliesTo: 'template',
  severity: 'warn',
  summary: "An editing role's Don't section lists what it must not do: leave its scope, or take destructive actions unasked.",
  messages: {
    notList: "editing role's `## Don't` has no list, expected `- ` items naming what it must not do",
    noScope: "editing role's `## Don't` never mentions its scope, expected an item such as `- Touch anything outside SCOPE, or make unrelated changes`",
    noDestructive: "editing role's `## Don't` never mentions destructive actions, expected an item such as `- Delete data, push or publish unless the task asks for it`",
  },
  check(input, report) {
    if (!isEditingRole(input)) return;
    const dont = roleSection(input, 'dont');
    if (!dont) return; // required-section reports it
    const place = sectionPlace(input, dont);
    const lists = dont.children.filter((node) => node.type === 'list');
    if (lists.length === 0) {
      report('notList', place);
      return;
    }
    const text = blocksText(lists);
    if (!scopeWords.test(text)) report('noScope', place);
    if (!destructiveWords.test(text)) report('noDestructive', place);
  },
});

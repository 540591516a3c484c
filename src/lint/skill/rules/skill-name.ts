import { defineRule } from '../../rule.js';
import { hasReadableEntryFrontmatter, type SkillLintInput } from '../skill-input.js';

const specPattern = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** ClawHub's slug rule (the skill name is the slug): like the spec's, and at least two characters. */
export const clawhubSlugPattern = /^[a-z0-9](?:(?!--)[a-z0-9-])*[a-z0-9]$/;

/** Limits every consumer agrees on: Codex's loader, the Agent Skills spec and ClawHub. */
export const maxNameLength = 64;

/** `name` is a lowercase, hyphenated slug of at most 64 characters equal to the folder name. */
export default defineRule<SkillLintInput>({
  id: 'skill-name',
  appliesTo: 'skill',
  severity: 'error',
  summary: '`name` is a slug (`a-z`, `0-9`, single hyphens) of 2 to 64 characters, equal to the folder name.',
  messages: {
    missing: 'frontmatter has no `name`, expected the skill name (e.g. `name: {folder}`)',
    type: '`name` is {found}, expected a string',
    long: '`name` is {length} characters long, expected at most {max}',
    pattern: '`name` `{name}` has characters or hyphens Agent Skills rejects, expected lowercase letters and digits in groups joined by single hyphens',
    slug: '`name` `{name}` is not a valid ClawHub slug, expected at least two characters, starting and ending with a letter or digit',
    folder: '`name` `{name}` differs from the folder name `{folder}`, expected them to be equal',
  },
  check(input, report) {
    if (!hasReadableEntryFrontmatter(input)) return;
    const name = input.data['name'];
    if (name === undefined || name === null) {
      report('missing', input.yamlPlace([]), { folder: input.folderName });
      return;
    }
    const place = input.yamlPlace(['name']);
    if (typeof name !== 'string') {
      report('type', place, { found: Array.isArray(name) ? 'a list' : typeof name });
      return;
    }
    if (name.length > maxNameLength) report('long', place, { length: name.length, max: maxNameLength });
    if (!specPattern.test(name)) report('pattern', place, { name });
    else if (!clawhubSlugPattern.test(name)) report('slug', place, { name });
    if (input.folderName !== '' && name !== input.folderName) report('folder', place, { name, folder: input.folderName });
  },
});

import { createHash } from 'node:crypto';
import { UserError } from '../errors/index.js';
import { clawhubSlugPattern } from '../lint/skill/rules/skill-name.js';
import { fileBytes, type SkillFolder } from './skill-files.js';

/** ClawHub's limit on the total size of a skill (the `clawhub` CLI and the web form). */
export const clawhubMaxBytes = 50 * 1024 * 1024;

/** ClawHub's limit on one file of a skill. */
export const clawhubMaxFileBytes = 10 * 1024 * 1024;

/**
 * Check a skill folder against what ClawHub accepts before anything is sent or written: the name
 * is a valid slug, every file is text (the web form refuses other files; a NUL byte is the usual
 * sign of a binary), no file is over 10 MB and the whole is under 50 MB.
 *
 * @throws {UserError} `skill-invalid` naming the first problem.
 */
export function checkClawhubBundle(folder: SkillFolder): number {
  if (!clawhubSlugPattern.test(folder.name)) throw new UserError('skill-invalid', `\`${folder.name}\` is not a valid ClawHub slug (lowercase letters, digits and single hyphens, at least two characters)`);
  let bytes = 0;
  for (const file of folder.files) {
    const data = fileBytes(file);
    bytes += data.length;
    if (data.includes(0)) throw new UserError('skill-invalid', `${file.path} is not a text file; ClawHub accepts text files only`);
    if (data.length > clawhubMaxFileBytes) throw new UserError('skill-invalid', `${file.path} holds ${data.length} bytes, over ClawHub's limit of ${clawhubMaxFileBytes} per file`);
  }
  if (bytes > clawhubMaxBytes) throw new UserError('skill-invalid', `the skill holds ${bytes} bytes, over ClawHub's limit of ${clawhubMaxBytes}`);
  return bytes;
}

/**
 * ClawHub's fingerprint of a skill: sha256 over one `path:sha256` line per file. The `clawhub`
 * CLI reports it after publishing and the registry matches installed folders against it, so
 * computing it here proves the CLI uploaded exactly these files. Sorted with `localeCompare`, as
 * the CLI sorts them (the paths of a skill are ASCII, where every locale agrees).
 */
export function clawhubFingerprint(folder: SkillFolder): string {
  const lines = folder.files
    .map((file) => ({ path: file.path, sha256: createHash('sha256').update(fileBytes(file)).digest('hex') }))
    .sort((a, b) => a.path.localeCompare(b.path))
    .map((file) => `${file.path}:${file.sha256}`);
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

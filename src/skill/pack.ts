import { zipSync, type Zippable } from 'fflate';
import { checkClawhubBundle } from './clawhub-bundle.js';
import { fileBytes, type SkillFolder } from './skill-files.js';

// Zip entries carry a fixed time (zip cannot store dates before 1980), so the bytes depend only on
// the content. Built from local-time fields because zip stores local time: same bytes in every zone.
const fixedTime = new Date(1980, 0, 1, 0, 0, 0);

/** The zip and what is in it. */
export interface PackResult {
  zip: Uint8Array;
  /** Total bytes of the files (before compression). */
  bytes: number;
}

/**
 * Zip the skill folder for ClawHub's web publish form, which takes a `.zip` and unwraps its one
 * top folder: entries are `<name>/<path>`, the same files `orch-prompt publish` uploads, checked
 * against ClawHub's rules (slug, text only, size). Deterministic: sorted entries, fixed times.
 *
 * @throws {UserError} when ClawHub would refuse the skill.
 */
export function packSkill(folder: SkillFolder): PackResult {
  const bytes = checkClawhubBundle(folder);
  const entries: Zippable = {};
  for (const file of folder.files) {
    const mode = file.executable ? 0o100755 : 0o100644;
    entries[`${folder.name}/${file.path}`] = [fileBytes(file), { mtime: fixedTime, os: 3, attrs: mode << 16, level: 9 }];
  }
  return { zip: zipSync(entries), bytes };
}

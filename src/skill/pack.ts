import { zipSync, type Zippable } from 'fflate';
import { isRecord, parseDocument } from '../markdown/parse.js';
import { clawhubSlugPattern } from '../lint/rules/skill-name.js';
import { emitFrontmatter } from './compile.js';
import { SkillError } from './skill-error.js';
import { fileBytes, type SkillFile, type SkillFolder } from './skill-files.js';

/** ClawHub's limit on the total size of a skill bundle. */
export const clawhubMaxBytes = 50 * 1024 * 1024;

/** Programs the skill needs, declared for ClawHub and OpenClaw (`metadata.openclaw.requires.bins`). */
export const requiredBins = ['node', 'codex'] as const;

// Zip entries carry a fixed time (zip cannot store dates before 1980), so the bytes depend only on
// the content. Built from local-time fields because zip stores local time: same bytes in every zone.
const fixedTime = new Date(1980, 0, 1, 0, 0, 0);

/**
 * `SKILL.md` as ClawHub and OpenClaw read it: the same file with `metadata.openclaw.requires.bins`
 * added. `metadata` is written as one line of JSON (valid YAML) because OpenClaw's frontmatter
 * reader takes each key from a single line. This extension is outside the Agent Skills spec (it
 * allows only string values in `metadata`), which is why only the bundle carries it.
 */
export function clawhubSkillMd(text: string): string {
  const document = parseDocument(text);
  const fm = document.frontmatter;
  if (!fm || fm.problem) throw new SkillError('SKILL.md has no readable frontmatter');
  const metadata = isRecord(fm.data['metadata']) ? fm.data['metadata'] : {};
  const { metadata: _ignored, ...rest } = fm.data;
  const withMeta = { ...metadata, openclaw: { requires: { bins: [...requiredBins] } } };
  const head = `${emitFrontmatter(rest)}metadata: ${JSON.stringify(withMeta)}\n`;
  const body = text.slice(text.indexOf('\n---\n', 3) + 5);
  return `---\n${head}---\n${body}`;
}

/** The publishable bundle and what is in it. */
export interface PackResult {
  zip: Uint8Array;
  files: SkillFile[];
  bytes: number;
}

/**
 * Make the ClawHub bundle: a zip whose top folder is the skill folder, with the ClawHub metadata
 * in `SKILL.md`, checked against ClawHub's rules (slug, size, text files only). Deterministic.
 *
 * @throws {SkillError} when ClawHub would refuse the bundle.
 */
export function packSkill(folder: SkillFolder): PackResult {
  if (!clawhubSlugPattern.test(folder.name)) throw new SkillError(`\`${folder.name}\` is not a valid ClawHub slug (lowercase letters, digits and single hyphens, at least two characters)`);
  const files = folder.files.map((file) =>
    file.path === 'SKILL.md' ? { ...file, content: clawhubSkillMd(Buffer.from(fileBytes(file)).toString('utf8')) } : file,
  );
  const entries: Zippable = {};
  let bytes = 0;
  for (const file of files) {
    const data = fileBytes(file);
    bytes += data.length;
    // ClawHub stores text files only; a NUL byte is the usual sign of a binary.
    if (data.includes(0)) throw new SkillError(`${file.path} is not a text file; ClawHub accepts text files only`);
    const mode = file.executable ? 0o100755 : 0o100644;
    entries[`${folder.name}/${file.path}`] = [data, { mtime: fixedTime, os: 3, attrs: mode << 16, level: 9 }];
  }
  if (bytes > clawhubMaxBytes) throw new SkillError(`the bundle holds ${bytes} bytes, over ClawHub's limit of ${clawhubMaxBytes}`);
  return { zip: zipSync(entries), files, bytes };
}

/** One file of a skill folder, by its path inside the folder (always `/`-separated). */
export interface SkillFile {
  path: string;
  content: string | Uint8Array;
  /** Whether the file must be executable (the script). */
  executable?: boolean;
}

/** A skill folder held in memory: what `build` writes, `install` copies and `pack` zips. */
export interface SkillFolder {
  name: string;
  /** Sorted by path, so that every consumer sees the same order. */
  files: SkillFile[];
}

/** The bytes of a file. */
export function fileBytes(file: SkillFile): Uint8Array {
  return typeof file.content === 'string' ? Buffer.from(file.content, 'utf8') : file.content;
}

/** Sort files by path (code-unit order: locale-independent, hence deterministic). */
export function sortFiles(files: SkillFile[]): SkillFile[] {
  return [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

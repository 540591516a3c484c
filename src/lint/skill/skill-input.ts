import { location } from 'vfile-location';
import { isRecord, parseDocument, type Frontmatter, type ParsedDocument } from '../../markdown/index.js';
import type { Place } from '../rule.js';
import { frontmatterPlaces, type FrontmatterPlaces, type PairPart } from '../yaml-places.js';

/** One file of a skill folder, as a skill rule sees it. */
export interface SkillLintInput {
  /** Path inside the skill folder (`SKILL.md`, `agents/openai.yaml`, `references/x.md`). */
  file: string;
  /** Name of the folder holding the skill (what `name` must equal). */
  folderName: string;
  /** Every file path in the skill folder (`/`-separated), to resolve links and icons. */
  files: ReadonlySet<string>;
  /** Paths in the folder that are symbolic links (files or folders); empty for a folder in memory. */
  links: ReadonlySet<string>;
  /** Absolute path of the skill folder on disk; `undefined` for a folder held in memory. */
  location: string | undefined;
  /** The file's text exactly as stored (no line-ending or byte-order-mark cleanup). */
  raw: string;
  /** Markdown files only: the parsed document. */
  doc: ParsedDocument | undefined;
  /** `SKILL.md` frontmatter data, or the parsed `agents/openai.yaml`; `{}` when unreadable. */
  data: Record<string, unknown>;
  /** Why the YAML (frontmatter or `openai.yaml`) cannot be read, if it cannot. */
  yamlProblem: { message: string; place: Place } | undefined;
  /** `line:column` of an offset in the document text. */
  pointAt(offset: number): Place;
  /** Place of a YAML key or value (frontmatter of a Markdown file, or the YAML file itself). */
  yamlPlace(path: ReadonlyArray<string | number>, part?: PairPart): Place;
}

/** The entry point's exact name, as Codex and the Agent Skills spec require it. */
export const skillEntry = 'SKILL.md';

/** Whether a path is the skill's entry point, in any letter case. */
export function isEntryLike(path: string): boolean {
  return path.toLowerCase() === 'skill.md';
}

/**
 * Whether the frontmatter rules look at this file: the entry point, with frontmatter whose YAML
 * could be read (a missing block or broken YAML is reported once, by the rules about those).
 */
export function hasReadableEntryFrontmatter(input: SkillLintInput): boolean {
  return isEntryLike(input.file) && input.doc?.frontmatter !== undefined && input.yamlProblem === undefined;
}

/** Where a skill folder is on disk, for the rules that look beyond its files. */
export interface SkillOnDisk {
  /** Absolute path of the folder. */
  location: string;
  /** Paths inside it (`/`-separated) that are symbolic links. */
  links: ReadonlySet<string>;
}

/** Build the input of skill rules for one file of a skill folder. */
export function skillLintInput(file: string, raw: string, folderName: string, files: ReadonlySet<string>, disk?: SkillOnDisk): SkillLintInput {
  const noPlace: Place = { line: 1, column: 1 };
  let doc: ParsedDocument | undefined;
  let yaml: Frontmatter | undefined;
  if (file.endsWith('.md')) {
    doc = parseDocument(raw);
    yaml = doc.frontmatter;
  } else if (file.endsWith('.yaml') || file.endsWith('.yml')) {
    // A YAML file is read with the same machinery as frontmatter that starts on line 1.
    yaml = yamlFile(raw);
  }
  const problem = yaml?.problem;
  const data = yaml && !problem && isRecord(yaml.data) ? yaml.data : {};
  let places: FrontmatterPlaces | undefined;
  let index: ReturnType<typeof location> | undefined;
  const text = doc?.text ?? raw;
  return {
    file,
    folderName,
    files,
    links: disk?.links ?? new Set(),
    location: disk?.location,
    raw,
    doc,
    data,
    yamlProblem: problem ? { message: problem.message, place: problem.place } : undefined,
    pointAt(offset) {
      index ??= location(text);
      const point = index.toPoint(offset);
      return point ? { line: point.line, column: point.column } : noPlace;
    },
    yamlPlace(path, part) {
      if (!yaml) return noPlace;
      places ??= frontmatterPlaces(yaml);
      return places.at(path, part);
    },
  };
}

function yamlFile(raw: string): Frontmatter {
  // Parse as if it were frontmatter so that problems and places use one code path.
  const doc = parseDocument(`---\n${raw.replace(/\n?$/, '\n')}---\n`);
  const fm = doc.frontmatter as Frontmatter;
  const shift = (place: Place): Place => ({ line: place.line - 1, column: place.column });
  return {
    ...fm,
    startLine: 1,
    endLine: fm.endLine - 1,
    ...(fm.problem ? { problem: { ...fm.problem, place: shift(fm.problem.place) } } : {}),
  };
}

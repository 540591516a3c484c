import type { Root, RootContent } from 'mdast';
import { stringify as stringifyYaml } from 'yaml';
import { UserError } from '../errors/index.js';
import { parseDocument } from '../markdown/parse.js';
import { stringifyMarkdown } from '../markdown/stringify.js';
import { builtinTemplates } from '../templates/builtin-set.js';
import type { TemplateSet } from '../templates/model.js';
import { generators } from './generate.js';
import { fileBytes, sortFiles, type SkillFile, type SkillFolder } from './skill-files.js';
import { skillName, skillRuntimeDir, skillScriptPath } from './skill-name.js';
import { readFolder, skillSourceDir } from './sources.js';

/** Options of {@link compileSkill}. */
export interface CompileSkillOptions {
  /** Folder of skill sources (default: the package's `skill/`). */
  sourceDir?: string;
  /** Templates the generated references come from (default: the built-ins). */
  templates?: TemplateSet;
  /**
   * The CLI to ship: `scripts/orch-prompt.mjs` and its runtime folder (see `readBundledCli`);
   * left out when not given.
   */
  script?: readonly SkillFile[];
}

const marker = /^<!--\s*generate:\s*([a-z-]+)\s*-->$/;

/**
 * Compile skill sources into a skill folder in memory. Markdown goes through the unified
 * pipeline: `<!-- generate: NAME -->` blocks are replaced on the syntax tree with content
 * generated from the templates, and every page is printed in the house style, so the same
 * sources always give the same bytes. Other files are copied as they are.
 *
 * @throws {UserError} `skill-invalid` when a source cannot be compiled.
 */
export function compileSkill(options: CompileSkillOptions = {}): SkillFolder {
  const sourceDir = options.sourceDir ?? skillSourceDir();
  const templates = options.templates ?? builtinTemplates();
  const files: SkillFile[] = [];
  for (const source of readFolder(sourceDir)) {
    if (source.path === skillScriptPath || source.path.startsWith(`${skillRuntimeDir}/`)) continue;
    if (!source.path.endsWith('.md')) {
      files.push(source);
      continue;
    }
    const text = Buffer.from(fileBytes(source)).toString('utf8');
    files.push({ path: source.path, content: compilePage(source.path, text, templates) });
  }
  if (!files.some((file) => file.path === 'SKILL.md')) throw new UserError('skill-invalid', `${sourceDir}: no SKILL.md among the skill sources`);
  if (options.script) files.push(...options.script);
  return { name: skillName, files: sortFiles(files) };
}

function compilePage(path: string, text: string, templates: TemplateSet): string {
  const document = parseDocument(text.replace(/\r\n?/g, '\n'));
  const tree: Root = { ...document.tree, children: expand(path, document.tree.children, templates) };
  const body = stringifyMarkdown(tree);
  const frontmatter = document.frontmatter;
  if (!frontmatter) return body;
  if (frontmatter.problem) throw new UserError('skill-invalid', `${path}:${frontmatter.problem.place.line}:${frontmatter.problem.place.column}: ${frontmatter.problem.message}`);
  return `---\n${emitFrontmatter(frontmatter.data)}---\n\n${body}`;
}

function expand(path: string, nodes: readonly RootContent[], templates: TemplateSet): RootContent[] {
  const out: RootContent[] = [];
  for (const node of nodes) {
    const name = node.type === 'html' ? marker.exec(node.value.trim())?.[1] : undefined;
    if (name === undefined) {
      out.push(node);
      continue;
    }
    const generate = generators[name];
    if (!generate) {
      const line = node.position?.start.line ?? 0;
      throw new UserError('skill-invalid', `${path}:${line}: unknown generated block \`${name}\`, expected one of ${Object.keys(generators).map((n) => `\`${n}\``).join(', ')}`);
    }
    out.push(...generate(templates));
  }
  return out;
}

/**
 * Frontmatter as consumers read it most reliably: keys in source order, the description on one
 * line with whitespace collapsed (Codex measures it that way; some loaders read one line per
 * key), no YAML folding.
 */
export function emitFrontmatter(data: Record<string, unknown>): string {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    out[key] = key === 'description' && typeof value === 'string' ? value.replace(/\s+/g, ' ').trim() : value;
  }
  return stringifyYaml(out, { lineWidth: 0 });
}
